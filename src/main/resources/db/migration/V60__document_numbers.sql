-- Document numbers: one series per document type, drawn from a sequence when the document is
-- issued (INV-000001, ACT-000001), instead of the prefix and the reference of the work, which a
-- user may choose. Numbers issued before (INV-T-1001, INV-FA-F-7001) have a letter after the
-- prefix and never meet a series number. Portable SQL for H2 2.x and PostgreSQL 14+.
create sequence invoice_number_seq start with 1;
create sequence acceptance_certificate_number_seq start with 1;
