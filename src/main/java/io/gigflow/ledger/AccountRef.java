package io.gigflow.ledger;

/** Whose money: a company's or a person's balance, the escrow of one piece of work, or the outside world. */
public record AccountRef(OwnerType type, String ownerId) {

    public enum OwnerType {
        /** A company's balance; the owner id is the company's group id. */
        COMPANY,
        /** A contractor's, worker's or provider's balance; the owner id is the user id. */
        USER,
        /** Money held for one task, order or assignment; the owner id names it, e.g. task-payout:T-42. */
        ESCROW,
        /** Money on its way out: a withdrawal's amount held until finance pays it out or rejects it; the owner id is the withdrawal's reference. */
        WITHDRAWAL,
        /** Money entering or leaving the platform; the only account that goes below zero. */
        EXTERNAL,
        /** The platform's own revenue (fees such as FastFunds'); the owner id is {@value AccountRef#PLATFORM_OWNER}. */
        PLATFORM
    }

    public static AccountRef company(String companyId) {
        return new AccountRef(OwnerType.COMPANY, companyId);
    }

    public static AccountRef user(String userId) {
        return new AccountRef(OwnerType.USER, userId);
    }

    public static AccountRef escrow(String reference) {
        return new AccountRef(OwnerType.ESCROW, reference);
    }

    /** The hold of one withdrawal, from its request until it is paid out, rejected or cancelled. */
    public static AccountRef withdrawal(String reference) {
        return new AccountRef(OwnerType.WITHDRAWAL, reference);
    }

    public static final String PLATFORM_OWNER = "gigflow";

    /** The platform's fee account. */
    public static AccountRef platform() {
        return new AccountRef(OwnerType.PLATFORM, PLATFORM_OWNER);
    }

    public static AccountRef external() {
        return new AccountRef(OwnerType.EXTERNAL, "world");
    }

    boolean mayGoNegative() {
        return type == OwnerType.EXTERNAL;
    }

    @Override
    public String toString() {
        return type + ":" + ownerId;
    }
}
