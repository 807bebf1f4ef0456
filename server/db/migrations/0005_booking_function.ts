import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * PostgreSQL: a booking in one round trip (HearingScheduler.book). The scheduler sends the whole
 * booking as one JSON argument to `scheduler_book`, run as a statement of its own, so that the locks,
 * the lookups, the overlap check, the writes, the audit entry and the commit cost one round trip
 * instead of five (BEGIN, three statements, COMMIT): on a 2-core machine each round trip is one more
 * chance to wait for a busy core, and that wait was most of the booking's p99 in bench:booking.
 *
 * The function decides only the happy path, with the scheduler's own rules: staff of the hearing's
 * court and enabled, every site with a usable kiosk, no clash for the judge or the clerk, and for each
 * site its oldest kiosk (ties by id, C collation) that is free. Anything else writes nothing and
 * answers the rows it read, from which the scheduler builds the same refusal as on SQLite
 * (#refusal), so the wording of every refusal stays in TypeScript.
 *
 * Locks are the scheduler's advisory keys (already sorted), taken one by one before anything is read:
 * a VOLATILE function takes a new snapshot for each statement, so the reads after the locks see what
 * a competing booking of the same judge, clerk or site committed while this one waited.
 *
 * Texts that hold a kiosk id (the history's after_json, the audit entry's details) come as templates
 * `{ parts, sites }`: the text is parts[0] · kiosk of site sites[0] as JSON · parts[1] · …, the kiosk
 * being the one this function assigned to that site (see scheduler_fill). So the stored texts are
 * exactly the JSON.stringify output the SQLite path writes.
 *
 * The audit entry's hash is entryHash's SHA-256 over JSON.stringify([seq, at_ms, actor, action,
 * subject, details_json, prev_hash]): the scheduler sends the text up to details_json
 * (`audit.middlePrefix`, from at_ms to subject), to_json writes details_json as JSON.stringify does
 * (same escapes for well-formed text; checked in bookingFunction.test.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`
    create or replace function scheduler_fill(template jsonb, kiosks text[]) returns text
    language plpgsql immutable as $fill$
    declare
      parts jsonb := template -> 'parts';
      sites jsonb := template -> 'sites';
      filled text := parts ->> 0;
    begin
      -- A hole without a kiosk makes the whole text null, which its NOT NULL column refuses.
      for i in 0 .. jsonb_array_length(sites) - 1 loop
        filled := filled || to_json(kiosks[(sites ->> i)::int + 1])::text || (parts ->> (i + 1));
      end loop;
      return filled;
    end
    $fill$`.execute(db);
  await sql`
    create or replace function scheduler_book(p jsonb) returns jsonb
    language plpgsql volatile
    -- Its statements run on their generic plans, made once per connection: PL/pgSQL would otherwise
    -- plan the overlap query anew at every call whenever the planner's generic estimate looks worse
    -- than its custom ones (as it does on a freshly analyzed 1M-hearing database), and the custom
    -- plan takes longer to make than to run. The range scan of a resource's bookings by start is the plan.
    set plan_cache_mode = force_generic_plan
    as $book$
    declare
      v_lock_key text;
      v_start_ms bigint := (p ->> 'startMs')::bigint;
      v_end_ms bigint := (p ->> 'endMs')::bigint;
      v_buffer_ms bigint := (p ->> 'bufferMs')::bigint;
      v_site_ids text[] := array(select jsonb_array_elements_text(p -> 'siteIds'));
      v_staff jsonb;
      v_sites jsonb;
      v_clashes jsonb;
      v_clash_keys text[];
      v_kiosks text[] := '{}';
      v_site_id text;
      v_kiosk text;
      v_refused boolean := false;
      v_details text;
      v_prev_seq bigint;
      v_prev_hash text;
      v_entry_hash text;
    begin
      foreach v_lock_key in array array(select jsonb_array_elements_text(p -> 'locks')) loop
        perform pg_advisory_xact_lock(hashtextextended(v_lock_key, 0));
      end loop;

      select coalesce(jsonb_agg(jsonb_build_object('id', u.id, 'court_id', u.court_id, 'role', u.role,
               'display_name', u.display_name, 'disabled_ms', u.disabled_ms)), '[]')
        into v_staff
        from users u where u.id in (p ->> 'judgeId', p ->> 'clerkId');
      select coalesce(jsonb_agg(jsonb_build_object('site_id', s.id, 'site_name', s.name, 'kiosk_id', k.id,
               'kiosk_created_ms', k.created_ms) order by k.created_ms, k.id collate "C"), '[]')
        into v_sites
        from sites s left join kiosks k on k.site_id = s.id and k.revoked_ms is null
        where s.id = any(v_site_ids);

      v_refused := not (
        exists (select from users u where u.id = p ->> 'judgeId' and u.role = 'judge'
                  and u.court_id = p ->> 'courtId' and u.disabled_ms is null)
        and exists (select from users u where u.id = p ->> 'clerkId' and u.role = 'clerk'
                  and u.court_id = p ->> 'courtId' and u.disabled_ms is null)
        and not exists (select from unnest(v_site_ids) as wanted(id) where not exists (
                  select from jsonb_array_elements(v_sites) as t(r)
                  where r ->> 'site_id' = wanted.id and r ->> 'kiosk_id' is not null)));

      if not v_refused then
        select coalesce(jsonb_agg(jsonb_build_object('resource_key', b.resource_key, 'hearing_id', b.hearing_id,
                 'start_ms', b.start_ms, 'end_ms', b.end_ms, 'case_number', h.case_number)), '[]'),
               coalesce(array_agg(b.resource_key), '{}')
          into v_clashes, v_clash_keys
          from bookings b join hearings h on h.id = b.hearing_id
          where b.resource_key = any(
                  array['judge:' || (p ->> 'judgeId'), 'clerk:' || (p ->> 'clerkId')]
                  || array(select 'kiosk:' || (r ->> 'kiosk_id') from jsonb_array_elements(v_sites) as t(r)
                           where r ->> 'kiosk_id' is not null))
            and b.start_ms < v_end_ms + v_buffer_ms
            and b.start_ms > v_start_ms - v_buffer_ms - (p ->> 'maxDurationMs')::bigint
            and b.end_ms > v_start_ms - v_buffer_ms;
        v_refused := ('judge:' || (p ->> 'judgeId')) = any(v_clash_keys) or ('clerk:' || (p ->> 'clerkId')) = any(v_clash_keys);
        foreach v_site_id in array v_site_ids loop
          exit when v_refused;
          select r ->> 'kiosk_id' into v_kiosk
            from jsonb_array_elements(v_sites) with ordinality as t(r, n)
            where r ->> 'site_id' = v_site_id and r ->> 'kiosk_id' is not null
              and not ('kiosk:' || (r ->> 'kiosk_id')) = any(v_clash_keys)
            order by n limit 1;
          v_refused := v_kiosk is null;
          v_kiosks := v_kiosks || v_kiosk;
        end loop;
      end if;
      if v_refused then
        return jsonb_build_object('refused', true, 'staff', v_staff, 'sites', v_sites, 'clashes', coalesce(v_clashes, '[]'));
      end if;

      insert into hearings select * from jsonb_populate_record(null::hearings, p -> 'hearing');
      insert into hearing_participants (id, hearing_id, role, name, id_tail, site_id, kiosk_id, position)
        select r.id, r.hearing_id, r.role, r.name, r.id_tail, r.site_id,
               v_kiosks[array_position(v_site_ids, r.site_id)], r.position
        from jsonb_populate_recordset(null::hearing_participants, p -> 'participants') as r;
      insert into bookings (resource_key, hearing_id, start_ms, end_ms)
        select k, p -> 'hearing' ->> 'id', v_start_ms, v_end_ms
        from unnest(array['judge:' || (p ->> 'judgeId'), 'clerk:' || (p ->> 'clerkId')]
                    || array(select 'kiosk:' || k from unnest(v_kiosks) as k)) as k;
      insert into hearing_history (id, hearing_id, at_ms, actor_id, action, reason, before_json, after_json)
        select r.id, r.hearing_id, r.at_ms, r.actor_id, r.action, r.reason, r.before_json,
               scheduler_fill(p -> 'history' -> 'afterJson', v_kiosks)
        from jsonb_populate_record(null::hearing_history, p -> 'history') as r;

      -- The audit append, as withAuditAppend does it: the head row's lock serializes appends.
      select h.seq, h.hash into v_prev_seq, v_prev_hash from audit_head h where h.id = 1 for update;
      if not found then
        raise exception 'the audit chain has no head row (audit_head id 1); run the audit verify command';
      end if;
      v_details := scheduler_fill(p -> 'audit' -> 'details', v_kiosks);
      v_entry_hash := encode(sha256(convert_to('[' || (v_prev_seq + 1)::text || ',' || (p -> 'audit' ->> 'middlePrefix')
                      || to_json(v_details)::text || ',"' || v_prev_hash || '"]', 'UTF8')), 'hex');
      insert into audit_log (seq, at_ms, actor, action, subject, details_json, prev_hash, hash)
        values (v_prev_seq + 1, (p -> 'audit' ->> 'at_ms')::bigint, p -> 'audit' ->> 'actor', p -> 'audit' ->> 'action',
                p -> 'audit' ->> 'subject', v_details, v_prev_hash, v_entry_hash);
      update audit_head set seq = v_prev_seq + 1, hash = v_entry_hash where id = 1;
      return jsonb_build_object('kiosks', to_jsonb(v_kiosks));
    end
    $book$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`drop function if exists scheduler_book(jsonb)`.execute(db);
  await sql`drop function if exists scheduler_fill(jsonb, text[])`.execute(db);
}
