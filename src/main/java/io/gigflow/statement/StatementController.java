package io.gigflow.statement;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.LedgerStatements;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.camunda.bpm.engine.authorization.Groups;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Statements for their owners (a person its own, a company's members the company's; anybody else
 * gets the company endpoints' 404) and, for operators (camunda-admin), every account and the
 * statement of any of them; others get 403 there.
 */
@Tag(name = "Statements")
@RestController
class StatementController {

    private final Statements statements;
    private final LedgerStatements ledger;
    private final Parties parties;
    private final CurrentUser currentUser;

    StatementController(Statements statements, LedgerStatements ledger, Parties parties, CurrentUser currentUser) {
        this.statements = statements;
        this.ledger = ledger;
        this.parties = parties;
        this.currentUser = currentUser;
    }

    record AccountView(String type, String ownerId, String currency, String balance) {
    }

    /** The signed-in person's statement in one currency for a period: CSV (default) or PDF. */
    @Operation(summary = "The signed-in person's statement for a period, CSV or PDF")
    @ApiResponse(responseCode = "200", description = "The statement: CSV by default, PDF with format=pdf", content = {
            @Content(mediaType = "text/csv", schema = @Schema(type = "string", format = "binary")),
            @Content(mediaType = "application/pdf", schema = @Schema(type = "string", format = "binary"))})
    @GetMapping("/api/me/statement")
    ResponseEntity<byte[]> myStatement(@RequestParam(required = false) String currency, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String format) {
        String user = currentUser.require();
        StatementQuery query = StatementQuery.parse(currency, from, to, format);
        String name = parties.personName(user);
        return download(statements.statement(AccountRef.user(user), name, query));
    }

    /** A company's statement, for its members. */
    @Operation(summary = "A company's statement for a period, CSV or PDF (members)")
    @ApiResponse(responseCode = "200", description = "The statement: CSV by default, PDF with format=pdf", content = {
            @Content(mediaType = "text/csv", schema = @Schema(type = "string", format = "binary")),
            @Content(mediaType = "application/pdf", schema = @Schema(type = "string", format = "binary"))})
    @GetMapping("/api/companies/{companyId}/statement")
    ResponseEntity<byte[]> companyStatement(@PathVariable String companyId, @RequestParam(required = false) String currency,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) String format) {
        Parties.Company company = parties.requireMembership(currentUser.require(), companyId);
        StatementQuery query = StatementQuery.parse(currency, from, to, format);
        return download(statements.statement(AccountRef.company(companyId), company.name(), query));
    }

    /**
     * Every account with its balance, for operators: companies', people's, escrows, withdrawal
     * holds, the outside world and the platform's; {@code type} keeps one owner type.
     */
    @Operation(summary = "Every account with its balance (operators)")
    @ApiResponse(responseCode = "200", description = "OK", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "403", description = "Not an operator")
    @GetMapping("/api/operator/accounts")
    List<AccountView> accounts(@RequestParam(required = false) String type, @RequestParam(defaultValue = "0") int offset,
            @RequestParam(defaultValue = "100") int limit) {
        requireOperator();
        FieldErrors errors = new FieldErrors();
        AccountRef.OwnerType ownerType = type == null ? null : ownerType(type, errors);
        errors.throwIfAny("Invalid query");
        Paging.check(offset, limit, 1000);
        return ledger.accounts(ownerType, offset, limit).stream()
                .map(a -> new AccountView(a.owner().type().name(), a.owner().ownerId(), a.balance().currencyCode(),
                        a.balance().toDecimalString()))
                .toList();
    }

    /** The statement of any account that exists, for operators. */
    @Operation(summary = "Any account's statement (operators)")
    @ApiResponse(responseCode = "403", description = "Not an operator")
    @ApiResponse(responseCode = "200", description = "The statement: CSV by default, PDF with format=pdf", content = {
            @Content(mediaType = "text/csv", schema = @Schema(type = "string", format = "binary")),
            @Content(mediaType = "application/pdf", schema = @Schema(type = "string", format = "binary"))})
    @GetMapping("/api/operator/accounts/{type}/{ownerId}/statement")
    ResponseEntity<byte[]> accountStatement(@PathVariable String type, @PathVariable String ownerId,
            @RequestParam(required = false) String currency, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String format) {
        requireOperator();
        FieldErrors errors = new FieldErrors();
        AccountRef.OwnerType ownerType = ownerType(type, errors);
        errors.throwIfAny("Invalid statement request");
        StatementQuery query = StatementQuery.parse(currency, from, to, format);
        AccountRef owner = new AccountRef(ownerType, ownerId);
        if (!ledger.exists(owner, query.currency())) {
            throw new NotFoundException("No account " + owner + " in " + query.currency().getCurrencyCode());
        }
        return download(statements.statement(owner, null, query));
    }

    private void requireOperator() {
        currentUser.require();
        if (!currentUser.groups().contains(Groups.CAMUNDA_ADMIN)) {
            throw new ForbiddenException("Only operators (camunda-admin) see every account");
        }
    }

    private static AccountRef.OwnerType ownerType(String type, FieldErrors errors) {
        try {
            return AccountRef.OwnerType.valueOf(type);
        } catch (IllegalArgumentException e) {
            errors.add("type", "oneOf", "must be one of " + java.util.Arrays.toString(AccountRef.OwnerType.values()));
            return null;
        }
    }

    private static ResponseEntity<byte[]> download(Statements.Download statement) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(statement.contentType()))
                .contentLength(statement.content().length)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(statement.fileName()).build().toString())
                // a statement is private and changes with every posting
                .cacheControl(CacheControl.noStore())
                .body(statement.content());
    }
}
