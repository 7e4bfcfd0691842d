-- Worked example: one analyst group that sees every branch but no customer personal data, and branch
-- staff who see only their own branch. A small standalone schema "example"; needs install.sql first.
--
--   psql -v ON_ERROR_STOP=1 -d <warehouse> -f warehouse/install.sql
--   psql -v ON_ERROR_STOP=1 -d <warehouse> -f warehouse/examples/two-roles.sql
--
-- Run it as a superuser (it creates roles). It can be run again: it starts by removing what it made.
-- The login roles get no password here; give them one (\password example_anna) or map them to your
-- directory (LDAP/Kerberos) in pg_hba.conf as you do for other users.

BEGIN;

-- ── Start clean ──────────────────────────────────────────────────────────────────────────────────
SELECT strongroom.unpublish_extract(name)
  FROM strongroom.extracts
 WHERE name IN ('example_branches', 'example_customers', 'example_payments');
SELECT strongroom.untrack_deletes(to_regclass(t))
  FROM (VALUES ('example.branches'), ('example.customers'), ('example.payments')) AS v(t)
 WHERE to_regclass(t) IS NOT NULL;
DROP SCHEMA IF EXISTS example CASCADE;

-- ── Roles: privileges go to group roles, people log in as members ───────────────────────────────
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'example_analysts') THEN CREATE ROLE example_analysts NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'example_branch_staff') THEN CREATE ROLE example_branch_staff NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'example_anna') THEN CREATE ROLE example_anna LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'example_pavel') THEN CREATE ROLE example_pavel LOGIN; END IF;
END
$$;
GRANT example_analysts TO example_anna;       -- Anna: analyst
GRANT example_branch_staff TO example_pavel;  -- Pavel: works at the North branch (see staff_branches)

-- ── The data ─────────────────────────────────────────────────────────────────────────────────────
CREATE SCHEMA example;
CREATE TABLE example.branches (
  branch_id  integer PRIMARY KEY,
  name       text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE example.customers (
  customer_id integer PRIMARY KEY,
  branch_id   integer NOT NULL REFERENCES example.branches,
  full_name   text NOT NULL,            -- personal data
  phone       text,                     -- personal data
  segment     text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE example.payments (
  payment_id  bigint PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES example.customers,
  branch_id   integer NOT NULL REFERENCES example.branches,
  paid_on     date NOT NULL,
  amount      numeric(14,2) NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
-- Which branches a role sees; read by the row-level security policies below.
CREATE TABLE example.staff_branches (
  role      name NOT NULL,
  branch_id integer NOT NULL REFERENCES example.branches,
  PRIMARY KEY (role, branch_id)
);

INSERT INTO example.branches (branch_id, name) VALUES (1, 'North'), (2, 'South');
INSERT INTO example.customers (customer_id, branch_id, full_name, phone, segment) VALUES
  (1, 1, 'Иванова Анна Сергеевна', '+7 912 000-00-01', 'mass'),
  (2, 1, 'Петров Олег Игоревич', '+7 912 000-00-02', 'affluent'),
  (3, 2, 'Смирнова Мария Павловна', '+7 912 000-00-03', 'mass'),
  (4, 2, 'Кузнецов Иван Андреевич', '+7 912 000-00-04', 'private');
INSERT INTO example.payments (payment_id, customer_id, branch_id, paid_on, amount) VALUES
  (1, 1, 1, '2025-03-01', 1200.00), (2, 1, 1, '2025-03-02', 530.50), (3, 2, 1, '2025-03-02', 48000.00),
  (4, 3, 2, '2025-03-01', 990.00), (5, 3, 2, '2025-03-03', 15000.00), (6, 4, 2, '2025-03-03', 250000.00);
INSERT INTO example.staff_branches (role, branch_id) VALUES ('example_branch_staff', 1);

-- ── 1. Privileges: what a role may read at all ──────────────────────────────────────────────────
GRANT USAGE ON SCHEMA example TO example_analysts, example_branch_staff;
GRANT SELECT ON example.branches, example.payments TO example_analysts, example_branch_staff;
-- Analysts get customers without full_name and phone. Never also GRANT SELECT ON example.customers:
-- a table-level SELECT includes every column and overrides this list.
GRANT SELECT (customer_id, branch_id, segment, updated_at) ON example.customers TO example_analysts;
-- Branch staff get no customers at all. The policies read staff_branches as the querying role.
GRANT SELECT ON example.staff_branches TO example_analysts, example_branch_staff;

-- ── 2. Row-level security: which rows ───────────────────────────────────────────────────────────
ALTER TABLE example.branches ENABLE ROW LEVEL SECURITY;
ALTER TABLE example.customers ENABLE ROW LEVEL SECURITY;
ALTER TABLE example.payments ENABLE ROW LEVEL SECURITY;
CREATE POLICY analysts_all ON example.branches FOR SELECT TO example_analysts USING (true);
CREATE POLICY analysts_all ON example.customers FOR SELECT TO example_analysts USING (true);
CREATE POLICY analysts_all ON example.payments FOR SELECT TO example_analysts USING (true);
CREATE POLICY own_branch ON example.branches FOR SELECT TO example_branch_staff
  USING (branch_id IN (SELECT s.branch_id FROM example.staff_branches s WHERE pg_has_role(current_user, s.role, 'MEMBER')));
CREATE POLICY own_branch ON example.payments FOR SELECT TO example_branch_staff
  USING (branch_id IN (SELECT s.branch_id FROM example.staff_branches s WHERE pg_has_role(current_user, s.role, 'MEMBER')));

-- ── 3. Publish, and show each extract to the roles that should sync it ──────────────────────────
SELECT strongroom.publish_extract('example_branches', 'example.branches', '{branch_id}', 'updated_at',
         classification => 'internal', title => 'Branches');
SELECT strongroom.publish_extract('example_customers', 'example.customers', '{customer_id}', 'updated_at',
         classification => 'restricted', lease_days => 7, allowed_exports => '{pdf,png}',
         title => 'Customers', description => 'Segments by branch; no personal data for analysts.');
SELECT strongroom.publish_extract('example_payments', 'example.payments', '{payment_id}', 'updated_at',
         classification => 'confidential', lease_days => 14, title => 'Payments');
SELECT strongroom.grant_extract('example_branches', 'example_analysts'),
       strongroom.grant_extract('example_customers', 'example_analysts'),
       strongroom.grant_extract('example_payments', 'example_analysts'),
       strongroom.grant_extract('example_branches', 'example_branch_staff'),
       strongroom.grant_extract('example_payments', 'example_branch_staff');

COMMIT;

-- ── 4. See what each of them gets (as a superuser) ──────────────────────────────────────────────
--   SET ROLE example_anna;
--   SELECT name, classification FROM strongroom.my_extracts;   -- the three extracts
--   SELECT count(*) FROM example.payments;                     -- 6: every branch
--   SELECT * FROM example.customers;                           -- ERROR: permission denied (full_name, phone)
--   SELECT customer_id, segment FROM example.customers;        -- 4 rows
--   RESET ROLE;
--   SET ROLE example_pavel;
--   SELECT name FROM strongroom.my_extracts;                   -- example_branches, example_payments
--   SELECT count(*) FROM example.payments;                     -- 3: North only
--   RESET ROLE;
