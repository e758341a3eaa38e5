package io.gigflow.identity;

import java.util.Arrays;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.auth.DefaultAuthorizationProvider;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.persistence.entity.AuthorizationEntity;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Component;

/**
 * Company members land on their company's open work in Tasklist. Tasklist opens the filter with
 * the lowest priority among those the person may read, and the role filters are the same for
 * everybody; so the company filter ({@link AuthorizationSetup#COMPANY_OPEN_FILTER}) comes first
 * and only company groups may read it: one READ grant a company. {@link AuthorizationSetup} grants
 * it to every company at start-up; a company created later gets it with its group, because the
 * engine asks its authorization provider for the authorizations of every new group (Admin,
 * {@code /engine-rest} and the Java API alike). A group whose type is changed to COMPANY later
 * gets it at the next start. The same provider leaves an open offer of a field assignment without a
 * grant of its own ({@link Provider}).
 */
@Component
class CompanyFilterGrants extends AbstractProcessEnginePlugin {

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setResourceAuthorizationProvider(new Provider());
    }

    /**
     * The engine's default authorizations, with two changes: a company gets the READ grant on the
     * company filter, and an open offer of a field assignment gets no grant of its own for the group it
     * is offered to (field workers read and work every offer by one grant on its process definition,
     * {@link AuthorizationSetup#FIELD_OFFER}; a grant on each offer made the engine check 18,000 grants
     * one by one to count a worker's tasks).
     */
    static final class Provider extends DefaultAuthorizationProvider {

        @Override
        public AuthorizationEntity[] newTaskGroupIdentityLink(Task task, String groupId, String identityLinkType) {
            if (task.getProcessDefinitionId() != null && AuthorizationSetup.FIELD_OFFER.equals(Context.getProcessEngineConfiguration()
                    .getDeploymentCache().findDeployedProcessDefinitionById(task.getProcessDefinitionId()).getKey())) {
                return new AuthorizationEntity[0];
            }
            return super.newTaskGroupIdentityLink(task, groupId, identityLinkType);
        }

        @Override
        public AuthorizationEntity[] newGroup(Group group) {
            AuthorizationEntity[] defaults = super.newGroup(group);
            if (!Parties.COMPANY_GROUP_TYPE.equals(group.getType())) {
                return defaults;
            }
            Filter filter = Context.getCommandContext().runWithoutAuthorization(() -> Context.getProcessEngineConfiguration()
                    .getFilterService().createFilterQuery().filterName(AuthorizationSetup.COMPANY_OPEN_FILTER).singleResult());
            if (filter == null) {
                return defaults;
            }
            AuthorizationEntity read = new AuthorizationEntity(Authorization.AUTH_TYPE_GRANT);
            read.setGroupId(group.getId());
            read.setResource(Resources.FILTER);
            read.setResourceId(filter.getId());
            read.addPermission(Permissions.READ);
            AuthorizationEntity[] all = Arrays.copyOf(defaults, defaults.length + 1);
            all[defaults.length] = read;
            return all;
        }
    }
}
