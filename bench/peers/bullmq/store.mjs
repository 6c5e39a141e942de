// The peer's database: the same few operations over better-sqlite3 (WAL) or a pg pool.
// PEER_DATABASE_URL is `sqlite:<file>` or `postgres://…`; PEER_DATABASE_SCHEMA picks a schema.
import Database from "better-sqlite3";
import pg from "pg";

const SQLITE_TABLES = `
create table if not exists api_keys (key_hash text primary key, org_id text not null);
create table if not exists sms_senders (number text primary key, org_id text not null);
create table if not exists leads (
  id text primary key, org_id text not null, first_name text not null, last_name text not null,
  phone text not null, email text, time_zone text, external_lead_id text, customer_profile text not null,
  additional_info text not null, has_replied integer not null default 0, last_activity_at text,
  created_at text not null, updated_at text not null, deleted_at text
);
create unique index if not exists leads_org_phone on leads (org_id, phone) where deleted_at is null;
create table if not exists webhook_endpoints (
  id text primary key, org_id text not null, url text not null, secret text not null, events text not null,
  description text, enabled integer not null default 1, created_at text not null
);
create table if not exists messages (
  id text primary key, org_id text not null, lead_id text not null, direction text not null,
  provider_id text unique, body text not null, created_at text not null
);
`;

const PG_TABLES = `
create table if not exists api_keys (key_hash text primary key, org_id text not null);
create table if not exists sms_senders (number text primary key, org_id text not null);
create table if not exists leads (
  id text primary key, org_id text not null, first_name text not null, last_name text not null,
  phone text not null, email text, time_zone text, external_lead_id text, customer_profile text not null,
  additional_info jsonb not null, has_replied boolean not null default false, last_activity_at timestamptz,
  created_at timestamptz not null, updated_at timestamptz not null, deleted_at timestamptz
);
create unique index if not exists leads_org_phone on leads (org_id, phone) where deleted_at is null;
create table if not exists webhook_endpoints (
  id text primary key, org_id text not null, url text not null, secret text not null, events jsonb not null,
  description text, enabled boolean not null default true, created_at timestamptz not null
);
create table if not exists messages (
  id text primary key, org_id text not null, lead_id text not null, direction text not null,
  provider_id text unique, body text not null, created_at timestamptz not null
);
`;

/** `{ key: { old, new } }` for each key of `patch` whose value differs from `old` (null removes). */
export function diffInfo(old, patch) {
  const merged = { ...old };
  const changes = {};
  for (const [key, value] of Object.entries(patch)) {
    const before = old[key] ?? null;
    if (value === null) delete merged[key];
    else merged[key] = value;
    if (JSON.stringify(before) !== JSON.stringify(value)) changes[key] = { old: before, new: value };
  }
  return { merged, changes };
}

/** A lead with this phone exists: `id` is that lead's. */
export class ConflictError extends Error {
  constructor(id) {
    super("conflict");
    this.id = id;
  }
}
function openSqlite(file) {
  const db = new Database(file);
  // As Leadwire configures SQLite (src/db/database.ts): WAL, synchronous NORMAL.
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.exec(SQLITE_TABLES);
  const s = {
    key: db.prepare("select org_id from api_keys where key_hash = ?"),
    insertKey: db.prepare("insert or ignore into api_keys (key_hash, org_id) values (?, ?)"),
    insertSender: db.prepare("insert or replace into sms_senders (number, org_id) values (?, ?)"),
    sender: db.prepare("select org_id from sms_senders where number = ?"),
    endpoints: db.prepare("select id, url, events from webhook_endpoints where org_id = ? and enabled = 1"),
    endpoint: db.prepare("select url, secret, enabled from webhook_endpoints where id = ?"),
    insertEndpoint: db.prepare(
      "insert into webhook_endpoints (id, org_id, url, secret, events, description, created_at) values (?, ?, ?, ?, ?, ?, ?)",
    ),
    insertLead: db.prepare(
      `insert into leads (id, org_id, first_name, last_name, phone, email, time_zone, external_lead_id,
       customer_profile, additional_info, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    leadByPhone: db.prepare(
      "select id, phone, external_lead_id, customer_profile from leads where org_id = ? and phone = ? and deleted_at is null",
    ),
    lead: db.prepare(
      "select id, phone, external_lead_id, additional_info from leads where id = ? and org_id = ? and deleted_at is null",
    ),
    updateInfo: db.prepare("update leads set additional_info = ?, updated_at = ? where id = ?"),
    insertMessage: db.prepare(
      `insert into messages (id, org_id, lead_id, direction, provider_id, body, created_at)
       values (?, ?, ?, 'inbound', ?, ?, ?) on conflict (provider_id) do nothing`,
    ),
    replied: db.prepare("update leads set has_replied = 1, last_activity_at = ? where id = ?"),
  };
  const patch = db.transaction((orgId, leadId, info, now) => {
    const row = s.lead.get(leadId, orgId);
    if (row === undefined) return undefined;
    const { merged, changes } = diffInfo(JSON.parse(row.additional_info), info);
    if (Object.keys(changes).length > 0) s.updateInfo.run(JSON.stringify(merged), now, leadId);
    return { lead: row, changes };
  });
  const inbound = db.transaction((orgId, phone, id, sid, body, now) => {
    const lead = s.leadByPhone.get(orgId, phone);
    if (lead === undefined) return undefined;
    const inserted = s.insertMessage.run(id, orgId, lead.id, sid, body, now).changes === 1;
    if (inserted) s.replied.run(now, lead.id);
    return { lead, duplicate: !inserted };
  });
  return {
    kind: "sqlite",
    async orgOfKey(hash) {
      return s.key.get(hash)?.org_id;
    },
    async insertKey(hash, orgId) {
      s.insertKey.run(hash, orgId);
    },
    async insertSender(number, orgId) {
      s.insertSender.run(number, orgId);
    },
    async ownerOf(number) {
      return s.sender.get(number)?.org_id;
    },
    async endpointsOf(orgId) {
      return s.endpoints.all(orgId).map((e) => ({ ...e, events: JSON.parse(e.events) }));
    },
    async endpoint(id) {
      const e = s.endpoint.get(id);
      return e === undefined ? undefined : { ...e, enabled: e.enabled === 1 };
    },
    async insertEndpoint(e) {
      s.insertEndpoint.run(e.id, e.orgId, e.url, e.secret, JSON.stringify(e.events), e.description, e.now);
    },
    async insertLead(l) {
      try {
        s.insertLead.run(
          l.id,
          l.orgId,
          l.firstName,
          l.lastName,
          l.phone,
          l.email,
          l.timeZone,
          l.externalLeadId,
          l.customerProfile,
          JSON.stringify(l.additionalInfo),
          l.now,
          l.now,
        );
      } catch (error) {
        if (error?.code !== "SQLITE_CONSTRAINT_UNIQUE") throw error;
        throw new ConflictError(s.leadByPhone.get(l.orgId, l.phone)?.id);
      }
    },
    async patchInfo(orgId, leadId, info, now) {
      return patch.immediate(orgId, leadId, info, now);
    },
    async inbound(orgId, phone, id, sid, body, now) {
      return inbound.immediate(orgId, phone, id, sid, body, now);
    },
    async close() {
      db.close();
    },
  };
}

async function openPostgres(url, schema, max) {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  if (schema) await pool.query(`create schema if not exists ${schema}`);
  await pool.query(PG_TABLES);
  const one = async (text, values) => (await pool.query(text, values)).rows[0];
  return {
    kind: "postgres",
    pool,
    async orgOfKey(hash) {
      return (await one("select org_id from api_keys where key_hash = $1", [hash]))?.org_id;
    },
    async insertKey(hash, orgId) {
      await pool.query("insert into api_keys values ($1, $2) on conflict do nothing", [hash, orgId]);
    },
    async insertSender(number, orgId) {
      await pool.query(
        "insert into sms_senders values ($1, $2) on conflict (number) do update set org_id = excluded.org_id",
        [number, orgId],
      );
    },
    async ownerOf(number) {
      return (await one("select org_id from sms_senders where number = $1", [number]))?.org_id;
    },
    async endpointsOf(orgId) {
      return (
        await pool.query("select id, url, events from webhook_endpoints where org_id = $1 and enabled", [
          orgId,
        ])
      ).rows;
    },
    async endpoint(id) {
      return one("select url, secret, enabled from webhook_endpoints where id = $1", [id]);
    },
    async insertEndpoint(e) {
      await pool.query(
        `insert into webhook_endpoints (id, org_id, url, secret, events, description, created_at)
         values ($1, $2, $3, $4, $5, $6, $7)`,
        [e.id, e.orgId, e.url, e.secret, JSON.stringify(e.events), e.description, e.now],
      );
    },
    async insertLead(l) {
      try {
        await pool.query(
          `insert into leads (id, org_id, first_name, last_name, phone, email, time_zone, external_lead_id,
           customer_profile, additional_info, created_at, updated_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
          [
            l.id,
            l.orgId,
            l.firstName,
            l.lastName,
            l.phone,
            l.email,
            l.timeZone,
            l.externalLeadId,
            l.customerProfile,
            JSON.stringify(l.additionalInfo),
            l.now,
          ],
        );
      } catch (error) {
        if (error?.code !== "23505") throw error;
        const existing = await one(
          "select id from leads where org_id = $1 and phone = $2 and deleted_at is null",
          [l.orgId, l.phone],
        );
        throw new ConflictError(existing?.id);
      }
    },
    // One round trip: the row is locked, merged in SQL (keys set to null removed), and its old
    // additionalInfo returned so the event carries the values it really replaced.
    async patchInfo(orgId, leadId, info, now) {
      const set = {};
      const removed = [];
      for (const [key, value] of Object.entries(info)) {
        if (value === null) removed.push(key);
        else set[key] = value;
      }
      const row = await one(
        `with old as (
           select id, additional_info from leads where id = $1 and org_id = $2 and deleted_at is null for update
         )
         update leads l set additional_info = (old.additional_info || $3::jsonb) - $4::text[], updated_at = $5
         from old where l.id = old.id
         returning l.id, l.phone, l.external_lead_id, old.additional_info as old_info`,
        [leadId, orgId, JSON.stringify(set), removed, now],
      );
      if (row === undefined) return undefined;
      return { lead: row, changes: diffInfo(row.old_info, info).changes };
    },
    async inbound(orgId, phone, id, sid, body, now) {
      const row = await one(
        `with lead as (
           select id, phone, external_lead_id, customer_profile from leads
           where org_id = $1 and phone = $2 and deleted_at is null
         ), ins as (
           insert into messages (id, org_id, lead_id, direction, provider_id, body, created_at)
           select $3, $1, id, 'inbound', $4, $5, $6 from lead on conflict (provider_id) do nothing
           returning lead_id
         ), upd as (
           update leads set has_replied = true, last_activity_at = $6 where id in (select lead_id from ins)
         )
         select lead.*, (select count(*) from ins)::int as inserted from lead`,
        [orgId, phone, id, sid, body, now],
      );
      if (row === undefined) return undefined;
      return { lead: row, duplicate: row.inserted === 0 };
    },
    async close() {
      await pool.end();
    },
  };
}

/** The store named by the environment; `max` connections on PostgreSQL. */
export async function openStore(max = 10) {
  const url = process.env.PEER_DATABASE_URL ?? "";
  if (url.startsWith("sqlite:")) return openSqlite(url.slice("sqlite:".length));
  if (url.startsWith("postgres")) return openPostgres(url, process.env.PEER_DATABASE_SCHEMA, max);
  throw new Error(`PEER_DATABASE_URL must be sqlite:<file> or postgres://…, got "${url}"`);
}
