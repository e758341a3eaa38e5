-- Idempotency-Key of the domain API: one row per user and key, written in the same transaction
-- as the change the request made, with the answer that is replayed to a retry of the request.
create table idempotency_key (
    user_id         varchar(255) not null,
    idempotency_key varchar(255) not null,
    -- SHA-256 (hex) of method, path, query and body: the same key with another request is refused
    request_hash    varchar(64) not null,
    created_at      timestamp with time zone not null,
    status          integer not null,
    content_type    varchar(255),
    location        varchar(2000),
    body            bytea not null,
    constraint pk_idempotency_key primary key (user_id, idempotency_key)
);

create index ix_idempotency_key_created on idempotency_key (created_at);
