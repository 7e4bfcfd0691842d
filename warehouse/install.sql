-- Strongroom warehouse catalog, install version 2 (2 added report publishing: is_author, publish_report, unpublish_report, report_gaps).
--
--   psql -v ON_ERROR_STOP=1 -d <warehouse> -f warehouse/install.sql
--
-- Idempotent: running it again (for example after an upgrade of this file) keeps every published
-- extract, grant, recorded deletion and audit event, and leaves an unchanged install unchanged.
-- Needs PostgreSQL 15 or newer (CREATE OR REPLACE TRIGGER, security_invoker views). Run it as the role
-- that should own the catalog (a superuser or a dedicated owner); that role owns the SECURITY DEFINER
-- functions below. See warehouse/README.md for every object and for what Strongroom does with them.
--
-- Plain SQL only (no psql meta-commands), so it also runs through any client that accepts several
-- statements in one string.

BEGIN;

-- Two DBAs running this at once would otherwise race on CREATE ... IF NOT EXISTS.
DO $$ BEGIN PERFORM pg_catalog.pg_advisory_xact_lock(7301597740392211234); END $$;

CREATE SCHEMA IF NOT EXISTS strongroom;
COMMENT ON SCHEMA strongroom IS 'Strongroom: catalog of published extracts, delete log, audit upload, reports.';
REVOKE ALL ON SCHEMA strongroom FROM PUBLIC;
GRANT USAGE ON SCHEMA strongroom TO PUBLIC;

-- ── Tables (not readable by ordinary users; reached through the views and functions below) ─────────

CREATE TABLE IF NOT EXISTS strongroom.extracts (
  name               text        PRIMARY KEY,
  title              text        NOT NULL,
  description        text        NOT NULL DEFAULT '',
  source             text        NOT NULL,
  primary_key        text[]      NOT NULL,
  incremental_column text,
  classification     text        NOT NULL DEFAULT 'internal',
  lease_days         integer     NOT NULL DEFAULT 30,
  allowed_exports    text[]      NOT NULL DEFAULT '{pptx,pdf,png,svg,xlsx,csv}',
  tracks_deletes     boolean     NOT NULL DEFAULT false,
  published_by       name        NOT NULL DEFAULT current_user,
  published_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at         timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT extracts_name_format CHECK (name ~ '^[a-z][a-z0-9_]{0,62}$'),
  CONSTRAINT extracts_classification CHECK (classification IN ('public', 'internal', 'confidential', 'restricted')),
  CONSTRAINT extracts_lease_days CHECK (lease_days BETWEEN 1 AND 3650),
  CONSTRAINT extracts_primary_key CHECK (cardinality(primary_key) >= 1 AND array_position(primary_key, NULL) IS NULL),
  CONSTRAINT extracts_allowed_exports CHECK (allowed_exports <@ '{pptx,pdf,png,svg,xlsx,csv}'::text[])
);
COMMENT ON TABLE strongroom.extracts IS 'Published extracts. Maintain only through strongroom.publish_extract / unpublish_extract.';

CREATE TABLE IF NOT EXISTS strongroom.extract_grants (
  extract    text        NOT NULL REFERENCES strongroom.extracts (name) ON DELETE CASCADE,
  role       name        NOT NULL,
  granted_by name        NOT NULL DEFAULT current_user,
  granted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (extract, role)
);
COMMENT ON TABLE strongroom.extract_grants IS 'Which roles see an extract in strongroom.my_extracts. Catalog visibility only: SELECT on the source is granted separately.';

CREATE TABLE IF NOT EXISTS strongroom.tracked_sources (
  source        regclass    PRIMARY KEY,
  key_columns   text[]      NOT NULL,
  tracked_since timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE strongroom.tracked_sources IS 'Tables whose deletions strongroom.track_deletes records, with the key columns recorded.';

CREATE TABLE IF NOT EXISTS strongroom.deletions (
  source     regclass    NOT NULL,
  pk         jsonb       NOT NULL,
  deleted_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS deletions_source_deleted_at ON strongroom.deletions (source, deleted_at);
COMMENT ON TABLE strongroom.deletions IS 'Keys of deleted rows of tracked tables. pk = {} marks a point before which deletions are unknown (TRUNCATE, purge): clients reconcile their key set.';

CREATE TABLE IF NOT EXISTS strongroom.audit_events (
  id             bigserial   PRIMARY KEY,
  received_at    timestamptz NOT NULL DEFAULT now(),
  warehouse_user name        NOT NULL DEFAULT current_user,
  client_id      text,
  at             timestamptz,
  action         text        NOT NULL,
  detail         jsonb
);
COMMENT ON TABLE strongroom.audit_events IS 'Audit events uploaded by Strongroom clients through strongroom.upload_audit.';

CREATE TABLE IF NOT EXISTS strongroom.reports (
  id           bigserial   PRIMARY KEY,
  name         text        NOT NULL UNIQUE,
  title        text        NOT NULL,
  definition   jsonb       NOT NULL,
  extracts     text[]      NOT NULL DEFAULT '{}',
  roles        name[]      NOT NULL DEFAULT '{}',
  published_by name        NOT NULL DEFAULT current_user,
  published_at timestamptz NOT NULL DEFAULT now()
);
-- Added after the first release: installs from then on get it here, at the end of the table.
ALTER TABLE strongroom.reports ADD COLUMN IF NOT EXISTS description text NOT NULL DEFAULT '';
COMMENT ON TABLE strongroom.reports IS 'Dashboards published by Strongroom authors for the roles in roles. Maintain only through strongroom.publish_report / unpublish_report; read through strongroom.my_reports.';

REVOKE ALL ON strongroom.extracts, strongroom.extract_grants, strongroom.tracked_sources, strongroom.deletions,
  strongroom.audit_events, strongroom.reports FROM PUBLIC;
REVOKE ALL ON SEQUENCE strongroom.audit_events_id_seq, strongroom.reports_id_seq FROM PUBLIC;

-- ── Views (readable by everyone; each filters itself by the connecting role's memberships) ─────────
-- A view reads its tables with its owner's rights, while current_user inside it stays the querying
-- role: that is what makes the membership filter below both effective and sufficient. Grants are
-- matched through pg_roles so that a dropped role simply stops matching instead of raising an error.

CREATE OR REPLACE VIEW strongroom.my_extracts WITH (security_barrier = true) AS
SELECT e.name,
       coalesce(e.title, e.name)     AS title,
       coalesce(e.description, '')   AS description,
       e.source,
       e.primary_key,
       e.incremental_column,
       e.classification,
       e.lease_days,
       e.allowed_exports,
       e.published_at,
       e.updated_at,
       e.tracks_deletes
  FROM strongroom.extracts e
 WHERE EXISTS (SELECT 1
                 FROM strongroom.extract_grants g
                 JOIN pg_catalog.pg_roles r ON r.rolname = g.role
                WHERE g.extract = e.name
                  AND pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER'));
COMMENT ON VIEW strongroom.my_extracts IS 'Extracts granted to a role the connected user is a member of. Read by the Strongroom sync.';

-- CREATE OR REPLACE VIEW may only append columns: description comes last.
CREATE OR REPLACE VIEW strongroom.my_reports WITH (security_barrier = true) AS
SELECT p.id, p.name, p.title, p.definition, p.extracts, p.roles, p.published_by, p.published_at, p.description
  FROM strongroom.reports p
 WHERE p.published_by = current_user
    OR EXISTS (SELECT 1
                 FROM unnest(p.roles) AS g(role)
                 JOIN pg_catalog.pg_roles r ON r.rolname = g.role
                WHERE pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER'));
COMMENT ON VIEW strongroom.my_reports IS 'Reports published to a role the connected user is a member of, and the reports the user published. Read by the Strongroom sync.';

REVOKE ALL ON strongroom.my_extracts, strongroom.my_reports FROM PUBLIC;
GRANT SELECT ON strongroom.my_extracts, strongroom.my_reports TO PUBLIC;

-- ── Report authors ────────────────────────────────────────────────────────────────────────────────
-- Members of this role (directly or through other roles) may publish reports; everyone else only
-- views the reports published to their roles. Roles belong to the cluster, not to this database, so
-- the role is created only if missing and is never dropped here.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'strongroom_authors') THEN
    CREATE ROLE strongroom_authors NOLOGIN;
  END IF;
END
$$;

-- ── Functions ─────────────────────────────────────────────────────────────────────────────────────

CREATE OR REPLACE FUNCTION strongroom.version() RETURNS text
LANGUAGE sql IMMUTABLE
AS $$ SELECT '2'::text $$;
COMMENT ON FUNCTION strongroom.version() IS 'Version of warehouse/install.sql installed here.';

-- Trigger function behind track_deletes. SECURITY DEFINER because the roles that delete rows (ETL
-- jobs, applications) have no rights on strongroom.deletions. Records only the key columns named in
-- the trigger arguments, never the deleted row itself (which may hold personal data).
CREATE OR REPLACE FUNCTION strongroom.record_deletion() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- Row triggers on a partitioned table fire on the partition: record the published parent instead.
  src regclass := coalesce(pg_catalog.pg_partition_root(TG_RELID), TG_RELID::regclass);
  old_row jsonb;
  key jsonb;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    INSERT INTO strongroom.deletions (source, pk) VALUES (src, '{}'::jsonb);
    RETURN NULL;
  END IF;
  old_row := to_jsonb(OLD);
  SELECT jsonb_object_agg(k, old_row -> k) INTO key FROM unnest(TG_ARGV) AS k;
  INSERT INTO strongroom.deletions (source, pk) VALUES (src, key);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION strongroom.record_deletion() IS 'Trigger function installed by strongroom.track_deletes; do not call directly.';

CREATE OR REPLACE FUNCTION strongroom.track_deletes(source regclass, key_columns text[]) RETURNS void
LANGUAGE plpgsql
AS $$
-- SECURITY INVOKER on purpose: creating triggers needs the caller to own the table (or hold TRIGGER).
#variable_conflict use_column
DECLARE
  kind "char";
  col text;
  merged text[];
  args text;
  changed text;
BEGIN
  IF track_deletes.source IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = 'track_deletes: source must not be null';
  END IF;
  SELECT c.relkind INTO kind FROM pg_catalog.pg_class c WHERE c.oid = track_deletes.source;
  IF kind IS NULL OR kind NOT IN ('r', 'p') THEN
    RAISE EXCEPTION USING ERRCODE = '42809',
      MESSAGE = format('track_deletes: %s is not a table (deletions of views are found by a key-set compare)', track_deletes.source);
  END IF;
  IF track_deletes.key_columns IS NULL OR cardinality(track_deletes.key_columns) = 0 THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'track_deletes: key_columns must name at least one column';
  END IF;
  FOREACH col IN ARRAY track_deletes.key_columns LOOP
    IF col IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                                   WHERE a.attrelid = track_deletes.source AND a.attname = col
                                     AND a.attnum > 0 AND NOT a.attisdropped) THEN
      RAISE EXCEPTION USING ERRCODE = '42703',
        MESSAGE = format('track_deletes: column %s of %s does not exist', coalesce(quote_ident(col), 'NULL'), track_deletes.source);
    END IF;
  END LOOP;

  -- Several extracts may publish the same table under different keys: record the union, and let
  -- deleted_keys project each extract's own key out of it.
  SELECT array_agg(DISTINCT k ORDER BY k) INTO merged
    FROM unnest(coalesce((SELECT t.key_columns FROM strongroom.tracked_sources t WHERE t.source = track_deletes.source), '{}'::text[])
                || track_deletes.key_columns) AS k;
  SELECT string_agg(quote_literal(k), ', ' ORDER BY k), string_agg(format('OLD.%1$I IS DISTINCT FROM NEW.%1$I', k), ' OR ' ORDER BY k)
    INTO args, changed FROM unnest(merged) AS k;

  EXECUTE format('CREATE OR REPLACE TRIGGER strongroom_deletions AFTER DELETE ON %s FOR EACH ROW EXECUTE FUNCTION strongroom.record_deletion(%s)',
                 track_deletes.source, args);
  -- Changing a key value removes the old key as surely as a DELETE does.
  EXECUTE format('CREATE OR REPLACE TRIGGER strongroom_key_updates AFTER UPDATE OF %s ON %s FOR EACH ROW WHEN (%s) EXECUTE FUNCTION strongroom.record_deletion(%s)',
                 (SELECT string_agg(quote_ident(k), ', ' ORDER BY k) FROM unnest(merged) AS k), track_deletes.source, changed, args);
  EXECUTE format('CREATE OR REPLACE TRIGGER strongroom_truncate AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION strongroom.record_deletion()',
                 track_deletes.source);

  INSERT INTO strongroom.tracked_sources AS t (source, key_columns) VALUES (track_deletes.source, merged)
  ON CONFLICT (source) DO UPDATE SET key_columns = EXCLUDED.key_columns
  WHERE t.key_columns IS DISTINCT FROM EXCLUDED.key_columns;
END
$$;
COMMENT ON FUNCTION strongroom.track_deletes(regclass, text[]) IS 'Installs triggers recording deleted (and re-keyed) rows of a table into strongroom.deletions. Called by publish_extract for tables.';

CREATE OR REPLACE FUNCTION strongroom.untrack_deletes(source regclass) RETURNS void
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
BEGIN
  EXECUTE format('DROP TRIGGER IF EXISTS strongroom_deletions ON %s', untrack_deletes.source);
  EXECUTE format('DROP TRIGGER IF EXISTS strongroom_key_updates ON %s', untrack_deletes.source);
  EXECUTE format('DROP TRIGGER IF EXISTS strongroom_truncate ON %s', untrack_deletes.source);
  DELETE FROM strongroom.tracked_sources t WHERE t.source = untrack_deletes.source;
  UPDATE strongroom.extracts e SET tracks_deletes = false, updated_at = clock_timestamp()
   WHERE e.tracks_deletes AND to_regclass(e.source) = untrack_deletes.source;
END
$$;
COMMENT ON FUNCTION strongroom.untrack_deletes(regclass) IS 'Removes the triggers of track_deletes; extracts of the table fall back to a key-set compare.';

CREATE OR REPLACE FUNCTION strongroom.publish_extract(
  name               text,
  source             text,
  primary_key        text[],
  incremental_column text    DEFAULT NULL,
  classification     text    DEFAULT 'internal',
  lease_days         integer DEFAULT 30,
  allowed_exports    text[]  DEFAULT '{pptx,pdf,png,svg,xlsx,csv}',
  title              text    DEFAULT NULL,
  description        text    DEFAULT NULL
) RETURNS void
LANGUAGE plpgsql
AS $$
-- SECURITY INVOKER: the source is resolved in the caller's search_path, and installing the delete
-- triggers needs the caller's rights on the table.
#variable_conflict use_column
DECLARE
  rel oid;
  kind "char";
  qualified text;
  col text;
  col_type regtype;
  opts text[];
  bad text[];
  tracks boolean := false;
BEGIN
  IF publish_extract.name IS NULL OR publish_extract.name !~ '^[a-z][a-z0-9_]{0,62}$' THEN
    RAISE EXCEPTION USING ERRCODE = '22023',
      MESSAGE = format('publish_extract: extract name %L must be 1-63 lower-case letters, digits or _, starting with a letter', publish_extract.name);
  END IF;

  rel := to_regclass(publish_extract.source);
  IF rel IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = '42P01',
      MESSAGE = format('publish_extract: source %L is not an existing table or view', publish_extract.source);
  END IF;
  SELECT c.relkind, format('%I.%I', n.nspname, c.relname), c.reloptions INTO kind, qualified, opts
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.oid = rel;
  IF kind NOT IN ('r', 'p', 'v', 'm', 'f') THEN
    RAISE EXCEPTION USING ERRCODE = '42809',
      MESSAGE = format('publish_extract: source %s is not a table or view', qualified);
  END IF;

  IF publish_extract.primary_key IS NULL OR cardinality(publish_extract.primary_key) = 0 THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'publish_extract: primary_key must name at least one column';
  END IF;
  IF cardinality(publish_extract.primary_key) <> (SELECT count(DISTINCT k) FROM unnest(publish_extract.primary_key) AS k) THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'publish_extract: primary_key names a column twice (or contains NULL)';
  END IF;
  FOREACH col IN ARRAY publish_extract.primary_key LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid = rel AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped) THEN
      RAISE EXCEPTION USING ERRCODE = '42703',
        MESSAGE = format('publish_extract: primary_key column %s is not a column of %s', quote_ident(col), qualified);
    END IF;
  END LOOP;

  IF publish_extract.incremental_column IS NOT NULL THEN
    SELECT a.atttypid::regtype INTO col_type FROM pg_catalog.pg_attribute a
     WHERE a.attrelid = rel AND a.attname = publish_extract.incremental_column AND a.attnum > 0 AND NOT a.attisdropped;
    IF col_type IS NULL THEN
      RAISE EXCEPTION USING ERRCODE = '42703',
        MESSAGE = format('publish_extract: incremental_column %s is not a column of %s', quote_ident(publish_extract.incremental_column), qualified);
    END IF;
    -- The sync asks for rows "newer than the last value seen": that needs an ordered, monotonic type.
    IF col_type NOT IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype,
                        'smallint'::regtype, 'integer'::regtype, 'bigint'::regtype, 'numeric'::regtype) THEN
      RAISE EXCEPTION USING ERRCODE = '42804',
        MESSAGE = format('publish_extract: incremental_column %s has type %s; use a timestamp, date or integer column', quote_ident(publish_extract.incremental_column), col_type);
    END IF;
  END IF;

  IF publish_extract.classification IS NULL OR publish_extract.classification NOT IN ('public', 'internal', 'confidential', 'restricted') THEN
    RAISE EXCEPTION USING ERRCODE = '22023',
      MESSAGE = format('publish_extract: classification %L must be public, internal, confidential or restricted', publish_extract.classification);
  END IF;
  IF publish_extract.lease_days IS NULL OR publish_extract.lease_days NOT BETWEEN 1 AND 3650 THEN
    RAISE EXCEPTION USING ERRCODE = '22023',
      MESSAGE = format('publish_extract: lease_days %s must be between 1 and 3650', coalesce(publish_extract.lease_days::text, 'NULL'));
  END IF;
  SELECT array_agg(x) INTO bad FROM unnest(coalesce(publish_extract.allowed_exports, '{NULL}'::text[])) AS x
   WHERE x IS NULL OR x NOT IN ('pptx', 'pdf', 'png', 'svg', 'xlsx', 'csv');
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = '22023',
      MESSAGE = format('publish_extract: allowed_exports %s: each must be one of pptx, pdf, png, svg, xlsx, csv', bad::text);
  END IF;

  IF kind IN ('r', 'p') THEN
    PERFORM strongroom.track_deletes(rel::regclass, publish_extract.primary_key);
    tracks := true;
  ELSIF kind = 'v' AND NOT EXISTS (SELECT 1 FROM unnest(opts) AS o
                                    WHERE lower(o) IN ('security_invoker=true', 'security_invoker=on', 'security_invoker=1', 'security_invoker=yes')) THEN
    RAISE WARNING USING
      MESSAGE = format('publish_extract: view %s is not security_invoker; row-level security of the tables it reads is evaluated for the view owner, not for the connecting user', qualified),
      HINT = format('ALTER VIEW %s SET (security_invoker = true)', qualified);
  END IF;

  INSERT INTO strongroom.extracts AS e (name, title, description, source, primary_key, incremental_column,
                                        classification, lease_days, allowed_exports, tracks_deletes)
  VALUES (publish_extract.name, coalesce(publish_extract.title, publish_extract.name), coalesce(publish_extract.description, ''),
          qualified, publish_extract.primary_key, publish_extract.incremental_column, publish_extract.classification,
          publish_extract.lease_days, publish_extract.allowed_exports, tracks)
  ON CONFLICT (name) DO UPDATE
     SET title = EXCLUDED.title, description = EXCLUDED.description, source = EXCLUDED.source,
         primary_key = EXCLUDED.primary_key, incremental_column = EXCLUDED.incremental_column,
         classification = EXCLUDED.classification, lease_days = EXCLUDED.lease_days,
         allowed_exports = EXCLUDED.allowed_exports, tracks_deletes = EXCLUDED.tracks_deletes,
         published_by = current_user, updated_at = clock_timestamp();
END
$$;
COMMENT ON FUNCTION strongroom.publish_extract(text, text, text[], text, text, integer, text[], text, text) IS
  'Publishes (or republishes) a table or view as an extract. Does not grant anything: see grant_extract and README.';

CREATE OR REPLACE FUNCTION strongroom.unpublish_extract(name text) RETURNS void
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
BEGIN
  DELETE FROM strongroom.extracts e WHERE e.name = unpublish_extract.name;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = format('unpublish_extract: extract %L is not published', unpublish_extract.name);
  END IF;
END
$$;
COMMENT ON FUNCTION strongroom.unpublish_extract(text) IS 'Removes an extract and its grants from the catalog (delete tracking stays; see untrack_deletes).';

CREATE OR REPLACE FUNCTION strongroom.grant_extract(name text, role name) RETURNS void
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
BEGIN
  IF NOT EXISTS (SELECT 1 FROM strongroom.extracts e WHERE e.name = grant_extract.name) THEN
    RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = format('grant_extract: extract %L is not published', grant_extract.name);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = grant_extract.role) THEN
    RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = format('grant_extract: role %s does not exist', coalesce(quote_ident(grant_extract.role), 'NULL'));
  END IF;
  -- Deliberately no GRANT SELECT on the source: a table-level SELECT would override the column
  -- privileges that keep personal data out of a role's copy.
  INSERT INTO strongroom.extract_grants (extract, role) VALUES (grant_extract.name, grant_extract.role)
  ON CONFLICT (extract, role) DO NOTHING;
END
$$;
COMMENT ON FUNCTION strongroom.grant_extract(text, name) IS 'Makes an extract visible in my_extracts to a role and its members. Catalog visibility only: grant SELECT on the source yourself.';

CREATE OR REPLACE FUNCTION strongroom.revoke_extract(name text, role name) RETURNS void
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
BEGIN
  IF NOT EXISTS (SELECT 1 FROM strongroom.extracts e WHERE e.name = revoke_extract.name) THEN
    RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = format('revoke_extract: extract %L is not published', revoke_extract.name);
  END IF;
  DELETE FROM strongroom.extract_grants g WHERE g.extract = revoke_extract.name AND g.role = revoke_extract.role;
END
$$;
COMMENT ON FUNCTION strongroom.revoke_extract(text, name) IS 'Hides an extract from a role in my_extracts (its clients drop their copy at the next sync). Does not revoke SELECT on the source.';

-- Inside a SECURITY DEFINER function current_user is the owner, so the caller is identified by
-- session_user (the role that logged in; SET SESSION AUTHORIZATION changes it, SET ROLE does not).
-- "extract" is quoted because EXTRACT is a keyword that may not otherwise name a parameter.
CREATE OR REPLACE FUNCTION strongroom.deleted_keys("extract" text, since timestamptz)
RETURNS TABLE (pk jsonb, deleted_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN d.pk = '{}'::jsonb THEN d.pk
              ELSE (SELECT jsonb_object_agg(k, d.pk -> k) FROM unnest(e.primary_key) AS k) END,
         d.deleted_at
    FROM strongroom.extracts e
    JOIN strongroom.deletions d ON d.source = to_regclass(e.source)
   WHERE e.name = $1
     AND e.tracks_deletes
     AND ($2 IS NULL OR d.deleted_at >= $2)
     AND EXISTS (SELECT 1
                   FROM strongroom.extract_grants g
                   JOIN pg_catalog.pg_roles r ON r.rolname = g.role
                  WHERE g.extract = e.name
                    AND pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER'))
   ORDER BY d.deleted_at
$$;
COMMENT ON FUNCTION strongroom.deleted_keys(text, timestamptz) IS
  'Primary keys of rows of an extract''s table deleted at or after since (NULL: all). pk = {} means deletions before deleted_at are unknown: reconcile the key set. Empty unless the extract is granted to the caller.';

CREATE OR REPLACE FUNCTION strongroom.upload_audit(client_id text, events jsonb) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  n integer;
BEGIN
  IF upload_audit.client_id IS NULL OR length(upload_audit.client_id) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'upload_audit: client_id must be 1-200 characters';
  END IF;
  IF jsonb_typeof(upload_audit.events) IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'upload_audit: events must be a JSON array of {at, action, detail}';
  END IF;
  IF jsonb_array_length(upload_audit.events) > 10000 THEN
    RAISE EXCEPTION USING ERRCODE = '54000', MESSAGE = 'upload_audit: at most 10000 events per call';
  END IF;
  IF EXISTS (SELECT 1 FROM jsonb_array_elements(upload_audit.events) AS ev
              WHERE jsonb_typeof(ev) IS DISTINCT FROM 'object'
                 OR jsonb_typeof(ev -> 'action') IS DISTINCT FROM 'string'
                 OR length(ev ->> 'action') NOT BETWEEN 1 AND 200
                 OR (ev ? 'at' AND jsonb_typeof(ev -> 'at') NOT IN ('string', 'null'))) THEN
    RAISE EXCEPTION USING ERRCODE = '22023',
      MESSAGE = 'upload_audit: every event must be an object with a string action (1-200 characters) and an optional ISO timestamp at';
  END IF;
  INSERT INTO strongroom.audit_events (warehouse_user, client_id, at, action, detail)
  SELECT session_user, upload_audit.client_id, (ev ->> 'at')::timestamptz, ev ->> 'action', ev -> 'detail'
    FROM jsonb_array_elements(upload_audit.events) WITH ORDINALITY AS x(ev, i)
   ORDER BY i;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
COMMENT ON FUNCTION strongroom.upload_audit(text, jsonb) IS 'Appends a client''s audit events (JSON array of {at, action, detail}) as the logged-in role; returns how many were stored.';

CREATE OR REPLACE FUNCTION strongroom.purge_deletions(before timestamptz) RETURNS bigint
LANGUAGE plpgsql
AS $$
#variable_conflict use_column
DECLARE
  n bigint;
BEGIN
  IF purge_deletions.before IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = '22004', MESSAGE = 'purge_deletions: before must not be null';
  END IF;
  WITH gone AS (
    DELETE FROM strongroom.deletions d WHERE d.deleted_at < purge_deletions.before RETURNING d.source
  ), marked AS (
    -- Clients that last synced before the purge must learn that their delete log has a gap.
    INSERT INTO strongroom.deletions (source, pk, deleted_at)
    SELECT DISTINCT g.source, '{}'::jsonb, purge_deletions.before FROM gone g
    RETURNING 1
  )
  SELECT count(*) INTO n FROM gone;
  RETURN n;
END
$$;
COMMENT ON FUNCTION strongroom.purge_deletions(timestamptz) IS 'Deletes recorded deletions older than before, leaving a {} marker so clients that synced earlier reconcile their key set.';

-- Not SECURITY DEFINER: pg_roles and pg_has_role are open to everyone. session_user, like the
-- functions above and publish_report below, so the answer is the same inside and outside them.
CREATE OR REPLACE FUNCTION strongroom.is_author() RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT EXISTS (SELECT 1
                   FROM pg_catalog.pg_roles r
                  WHERE r.rolname = 'strongroom_authors'
                    AND pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER'))
$$;
COMMENT ON FUNCTION strongroom.is_author() IS 'Whether the logged-in role may publish reports (is a member of strongroom_authors; superusers are).';

-- SECURITY DEFINER because ordinary roles have no rights on strongroom.reports. The caller is
-- session_user (see deleted_keys). A report only names extracts and describes how to chart them:
-- each viewer still reads only the rows and columns the warehouse lets them sync.
CREATE OR REPLACE FUNCTION strongroom.publish_report(name text, title text, description text, definition jsonb, extracts text[], roles name[])
RETURNS timestamptz
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  missing text[];
  previous text;
  stamp timestamptz := clock_timestamp();
BEGIN
  IF NOT strongroom.is_author() THEN
    RAISE EXCEPTION USING ERRCODE = '42501',
      MESSAGE = format('publish_report: %s is not a member of strongroom_authors and may not publish reports', session_user);
  END IF;
  IF publish_report.name IS NULL OR publish_report.name !~ '^[a-z][a-z0-9_]{0,62}$' THEN
    RAISE EXCEPTION USING ERRCODE = '22023',
      MESSAGE = format('publish_report: report name %L must be 1-63 lower-case letters, digits or _, starting with a letter', publish_report.name);
  END IF;
  IF publish_report.title IS NULL OR length(btrim(publish_report.title)) NOT BETWEEN 1 AND 200 THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'publish_report: title must be 1-200 characters';
  END IF;
  IF jsonb_typeof(publish_report.definition) IS DISTINCT FROM 'object' THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'publish_report: definition must be a JSON object';
  END IF;
  IF publish_report.extracts IS NULL OR cardinality(publish_report.extracts) = 0 OR array_position(publish_report.extracts, NULL) IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'publish_report: extracts must name at least one extract (and no NULL)';
  END IF;
  IF publish_report.roles IS NULL OR cardinality(publish_report.roles) = 0 OR array_position(publish_report.roles, NULL) IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'publish_report: roles must name at least one role (and no NULL)';
  END IF;
  -- The same test as my_extracts, for the logged-in role: nobody publishes over data they cannot see.
  SELECT array_agg(DISTINCT x ORDER BY x) INTO missing
    FROM unnest(publish_report.extracts) AS x
   WHERE NOT EXISTS (SELECT 1
                       FROM strongroom.extract_grants g
                       JOIN pg_catalog.pg_roles r ON r.rolname = g.role
                      WHERE g.extract = x
                        AND pg_catalog.pg_has_role(session_user, r.oid, 'MEMBER'));
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = '42501',
      MESSAGE = format('publish_report: extract(s) %s are not granted to %s', array_to_string(missing, ', '), session_user);
  END IF;
  SELECT array_agg(DISTINCT x::text ORDER BY x::text) INTO missing
    FROM unnest(publish_report.roles) AS x
   WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = x);
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = '42704',
      MESSAGE = format('publish_report: role(s) %s do not exist', array_to_string(missing, ', '));
  END IF;

  SELECT p.published_by::text INTO previous FROM strongroom.reports p WHERE p.name = publish_report.name FOR UPDATE;
  IF previous IS NOT NULL AND previous <> session_user::text
     AND NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), false) THEN
    RAISE EXCEPTION USING ERRCODE = '42501',
      MESSAGE = format('publish_report: report %L was published by %s; only they (or a superuser) may replace it', publish_report.name, previous);
  END IF;
  INSERT INTO strongroom.reports AS p (name, title, description, definition, extracts, roles, published_by, published_at)
  VALUES (publish_report.name, btrim(publish_report.title), coalesce(publish_report.description, ''), publish_report.definition,
          publish_report.extracts, publish_report.roles, session_user, stamp)
  ON CONFLICT (name) DO UPDATE
     SET title = EXCLUDED.title, description = EXCLUDED.description, definition = EXCLUDED.definition,
         extracts = EXCLUDED.extracts, roles = EXCLUDED.roles, published_by = EXCLUDED.published_by,
         published_at = EXCLUDED.published_at;
  RETURN stamp;
END
$$;
COMMENT ON FUNCTION strongroom.publish_report(text, text, text, jsonb, text[], name[]) IS
  'Publishes (or, for its publisher or a superuser, replaces) a report for roles; the caller must be an author and be granted every extract it reads. Returns published_at.';

CREATE OR REPLACE FUNCTION strongroom.unpublish_report(name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  previous text;
BEGIN
  IF NOT strongroom.is_author() THEN
    RAISE EXCEPTION USING ERRCODE = '42501',
      MESSAGE = format('unpublish_report: %s is not a member of strongroom_authors and may not unpublish reports', session_user);
  END IF;
  SELECT p.published_by::text INTO previous FROM strongroom.reports p WHERE p.name = unpublish_report.name FOR UPDATE;
  IF previous IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = '42704', MESSAGE = format('unpublish_report: report %L is not published', unpublish_report.name);
  END IF;
  IF previous <> session_user::text
     AND NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), false) THEN
    RAISE EXCEPTION USING ERRCODE = '42501',
      MESSAGE = format('unpublish_report: report %L was published by %s; only they (or a superuser) may remove it', unpublish_report.name, previous);
  END IF;
  DELETE FROM strongroom.reports p WHERE p.name = unpublish_report.name;
END
$$;
COMMENT ON FUNCTION strongroom.unpublish_report(text) IS 'Removes a report (its publisher or a superuser); viewers drop their copy at their next sync.';

-- Which of a report's roles will see nothing of some of its extracts (no grant reaches them), so the
-- author can ask a DBA before viewers find empty tiles. Authors only, and only about extracts granted
-- to the caller: nobody learns the grants of an extract they cannot see themselves.
CREATE OR REPLACE FUNCTION strongroom.report_gaps(extracts text[], roles name[])
RETURNS TABLE (grantee name, extract_name text)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT strongroom.is_author() THEN
    RAISE EXCEPTION USING ERRCODE = '42501',
      MESSAGE = format('report_gaps: %s is not a member of strongroom_authors', session_user);
  END IF;
  RETURN QUERY
  SELECT r.rolname, x
    FROM unnest(report_gaps.roles) AS wanted(name)
    JOIN pg_catalog.pg_roles r ON r.rolname = wanted.name
   CROSS JOIN unnest(report_gaps.extracts) AS x
   WHERE EXISTS (SELECT 1 FROM strongroom.extract_grants g JOIN pg_catalog.pg_roles gr ON gr.rolname = g.role
                  WHERE g.extract = x AND pg_catalog.pg_has_role(session_user, gr.oid, 'MEMBER'))
     AND NOT EXISTS (SELECT 1 FROM strongroom.extract_grants g JOIN pg_catalog.pg_roles gr ON gr.rolname = g.role
                      WHERE g.extract = x AND pg_catalog.pg_has_role(r.oid, gr.oid, 'MEMBER'))
   ORDER BY 1, 2;
END
$$;
COMMENT ON FUNCTION strongroom.report_gaps(text[], name[]) IS 'For an author: the (role, extract) pairs of a report whose role is granted no access to that extract in the catalog.';

-- Only the catalog owner (and superusers) maintain the catalog; everyone may read their own view,
-- fetch deleted keys of extracts granted to them, upload audit events and ask for the version.
-- Everyone may call the report functions: they check authorship and grants themselves.
REVOKE ALL ON FUNCTION
  strongroom.version(), strongroom.record_deletion(), strongroom.track_deletes(regclass, text[]),
  strongroom.untrack_deletes(regclass), strongroom.publish_extract(text, text, text[], text, text, integer, text[], text, text),
  strongroom.unpublish_extract(text), strongroom.grant_extract(text, name), strongroom.revoke_extract(text, name),
  strongroom.deleted_keys(text, timestamptz), strongroom.upload_audit(text, jsonb), strongroom.purge_deletions(timestamptz),
  strongroom.is_author(), strongroom.publish_report(text, text, text, jsonb, text[], name[]), strongroom.unpublish_report(text),
  strongroom.report_gaps(text[], name[])
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION strongroom.version(), strongroom.deleted_keys(text, timestamptz), strongroom.upload_audit(text, jsonb),
  strongroom.is_author(), strongroom.publish_report(text, text, text, jsonb, text[], name[]), strongroom.unpublish_report(text),
  strongroom.report_gaps(text[], name[]) TO PUBLIC;

COMMIT;
