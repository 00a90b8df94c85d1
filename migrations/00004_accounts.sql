-- Accounts (companies) and their contacts.

-- +goose Up
CREATE TABLE accounts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id   text NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
    name           text NOT NULL CHECK (btrim(name) <> ''),
    industry       text NOT NULL DEFAULT '',
    company_size   text NOT NULL DEFAULT '',
    territory      text NOT NULL DEFAULT '',
    is_customer    boolean NOT NULL DEFAULT false,
    customer_since timestamptz,
    churned_at     timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    -- Target of the composite foreign keys that keep a row's children in its workspace.
    UNIQUE (workspace_id, id)
);

-- One account per company name per workspace, whatever the case: "ACME" reuses "Acme".
CREATE UNIQUE INDEX accounts_workspace_name_key ON accounts (workspace_id, lower(name));
CREATE INDEX accounts_name_trgm_idx ON accounts USING gin (lower(name) gin_trgm_ops);
CREATE INDEX accounts_churned_idx ON accounts (workspace_id, churned_at) WHERE churned_at IS NOT NULL;

CREATE TABLE contacts (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id text NOT NULL,
    account_id   bigint NOT NULL,
    name         text NOT NULL DEFAULT '',
    email        text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, account_id) REFERENCES accounts (workspace_id, id) ON DELETE RESTRICT,
    CHECK (name <> '' OR email <> '')
);

-- A contact is reused by email within its account, or by name when it has no email.
CREATE UNIQUE INDEX contacts_account_email_key ON contacts (account_id, lower(email)) WHERE email <> '';
CREATE UNIQUE INDEX contacts_account_name_key ON contacts (account_id, lower(name)) WHERE email = '';
CREATE INDEX contacts_name_trgm_idx ON contacts USING gin (lower(name) gin_trgm_ops);

-- +goose Down
DROP TABLE contacts;
DROP TABLE accounts;
