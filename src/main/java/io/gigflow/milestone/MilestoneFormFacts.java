package io.gigflow.milestone;

import io.gigflow.identity.Parties;
import io.gigflow.shared.HtmlSanitizer;
import io.gigflow.shared.Readable;
import io.gigflow.shared.StepDisplay;
import io.gigflow.shared.TaskFormFacts;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What the two human steps of contractor-milestone show, from the milestone's rows when the form is
 * opened: the reference, the title, the description, the deadline, the amount with its currency,
 * the attachment's name and the other party's name; Complete milestone also the reason of the last
 * rejection, Review milestone the submission's note and deliverable. None of it is a variable of
 * the engine, so an edit of the terms, a changed deadline or a new attachment shows at once, and
 * no completion can change what the other party's form shows.
 */
@Component
class MilestoneFormFacts implements TaskFormFacts {

    private final MilestoneRepository milestones;
    private final Parties parties;

    MilestoneFormFacts(MilestoneRepository milestones, Parties parties) {
        this.milestones = milestones;
        this.parties = parties;
    }

    @Override
    public Set<String> processDefinitionKeys() {
        return Set.of(ContractorMilestoneProcess.KEY);
    }

    @Override
    public Map<String, String> facts(Step step) {
        Milestone milestone = milestones.findByProcessInstance(step.processInstanceId()).orElse(null);
        if (milestone == null) {
            return Map.of();
        }
        Map<String, String> facts = new HashMap<>();
        facts.put(StepDisplay.REF, milestone.ref());
        facts.put(ContractorMilestoneProcess.VAR_TITLE, milestone.title());
        facts.put(ContractorMilestoneProcess.VAR_DESCRIPTION_TEXT, HtmlSanitizer.text(milestone.description()));
        facts.put(ContractorMilestoneProcess.VAR_DEADLINE, MilestoneInput.iso(milestone.deadline()));
        facts.put(StepDisplay.AMOUNT, Readable.money(milestone.amount()));
        facts.put(ContractorMilestoneProcess.VAR_ATTACHMENT_NAME, fileName(milestone.attachmentFileId()));
        switch (step.taskDefinitionKey()) {
            case ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE -> {
                facts.put(StepDisplay.ASKED_BY, parties.companyName(milestone.companyId()));
                facts.put(ContractorMilestoneProcess.VAR_LAST_REJECTION_REASON, milestone.rejectionReason());
            }
            case ContractorMilestoneProcess.TASK_REVIEW_MILESTONE -> {
                facts.put(StepDisplay.PARTY, parties.personName(milestone.contractorId()));
                milestones.openSubmission(milestone.id()).ifPresent(submission -> {
                    facts.put(ContractorMilestoneProcess.VAR_COMPLETION_NOTE, submission.note());
                    facts.put(ContractorMilestoneProcess.VAR_DELIVERABLE_NAME, fileName(submission.deliverableFileId()));
                });
            }
            default -> {
            }
        }
        return facts;
    }

    private String fileName(Long fileId) {
        return fileId == null ? null : milestones.file(fileId).map(MilestoneFile::fileName).orElse(null);
    }
}
