/**
 * The shop server's schema, versioned like the ledger's: append only, never edit one that has
 * shipped. Applied by `migrateShopServer` (server-schema.ts), each in its own transaction, with
 * the applied versions in `shop_schema_migrations`.
 *
 * One table of records holds every replicated row of every station: (tbl, pk) is the row's
 * globally unique key, `data` the row column by column (so columns other migrations add to the
 * ledger replicate without a server change), `seq` a server-assigned position that stations pull
 * by. Unique indexes on the business keys (merchant references, a payment's operation sequence,
 * card tokens, recurring periods) are the backstop against duplicates that ids alone would miss.
 *
 * A server function is changed by a new version that replaces it whole (CREATE OR REPLACE: SQL
 * has no partial edit of a body), so shop_push stands in full in each version that changes it, on
 * purpose: the older copies are history, exactly as shipped, and must not be shared or edited.
 */
import { LOST_PUSH_ANSWER } from './server-migration-lost-answer';
import { SUPERSEDED_PUSH } from './server-migration-superseded-push';

export interface ServerMigration {
  version: number;
  name: string;
  sql: string;
}

export const SERVER_MIGRATIONS: readonly ServerMigration[] = [
  {
    version: 1,
    name: 'records, stations, leases, recurring claims',
    sql: `
      CREATE TABLE stations (
        id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
        name text NOT NULL,
        joined_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        pulled_seq bigint NOT NULL DEFAULT 0          -- how far it has pulled: "n records behind"
      );

      -- Which ledger tables replicate, and how a second write of a record is judged:
      --   shared  any station may change it, if it had seen the version it changes (compare-and-set on seq)
      --   owned   only the station that created it changes it (the write-ahead operation log)
      --   append  never changes once stored (audit entries, closed days)
      CREATE TABLE replicated_tables (
        tbl text PRIMARY KEY,
        policy text NOT NULL CHECK (policy IN ('shared', 'owned', 'append'))
      );
      INSERT INTO replicated_tables (tbl, policy) VALUES
        ('users', 'shared'), ('customers', 'shared'), ('cards', 'shared'), ('orders', 'shared'),
        ('payments', 'shared'), ('operations', 'owned'), ('confirmations', 'shared'),
        ('recurring_schedules', 'shared'), ('recurring_periods', 'shared'),
        ('audit', 'append'), ('day_closes', 'append');

      CREATE SEQUENCE record_seq AS bigint;

      CREATE TABLE records (
        tbl text NOT NULL REFERENCES replicated_tables(tbl),
        pk text NOT NULL,
        seq bigint NOT NULL,
        origin text NOT NULL REFERENCES stations(id),      -- the station that created it
        written_by text NOT NULL REFERENCES stations(id),  -- the station that wrote this version
        deleted boolean NOT NULL DEFAULT false,
        data jsonb,
        written_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tbl, pk),
        CHECK (deleted OR data IS NOT NULL)
      );
      CREATE UNIQUE INDEX records_seq ON records (seq);

      -- Duplicate backstops on business keys.
      CREATE UNIQUE INDEX records_order_reference ON records ((data->>'reference')) WHERE tbl = 'orders' AND NOT deleted;
      CREATE UNIQUE INDEX records_payment_reference ON records ((data->>'reference')) WHERE tbl = 'payments' AND NOT deleted;
      CREATE UNIQUE INDEX records_operation_seq ON records ((data->>'payment_id'), ((data->>'seq')::bigint)) WHERE tbl = 'operations' AND NOT deleted;
      CREATE UNIQUE INDEX records_refund_reference ON records ((data->>'reference')) WHERE tbl = 'operations' AND data->>'type' = 'refund' AND NOT deleted;
      CREATE UNIQUE INDEX records_card_token ON records ((data->>'token_name')) WHERE tbl = 'cards' AND NOT deleted;
      CREATE UNIQUE INDEX records_schedule_short_id ON records ((data->>'short_id')) WHERE tbl = 'recurring_schedules' AND NOT deleted;
      CREATE UNIQUE INDEX records_period ON records ((data->>'schedule_id'), ((data->>'period')::bigint)) WHERE tbl = 'recurring_periods' AND NOT deleted;
      CREATE UNIQUE INDEX records_period_reference ON records ((data->>'reference')) WHERE tbl = 'recurring_periods' AND NOT deleted;
      CREATE INDEX records_payment_operations ON records ((data->>'payment_id')) WHERE tbl = 'operations';

      -- Every write takes one transaction-level lock before it draws its seq, so commits happen in
      -- seq order and a station pulling "seq > n" never skips a row that commits later with a
      -- smaller seq. Done in the trigger, so no writer can forget it.
      CREATE FUNCTION records_stamp() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        PERFORM pg_advisory_xact_lock(1801);
        NEW.seq := nextval('record_seq');
        NEW.written_at := now();
        RETURN NEW;
      END $f$;
      CREATE TRIGGER records_stamp BEFORE INSERT OR UPDATE ON records FOR EACH ROW EXECUTE FUNCTION records_stamp();

      -- Each station's audit chain, anchored: an entry is stored only after its predecessor, and
      -- only if it carries the predecessor's hash. The server's newest entry per station is the
      -- anchor a station's own ledger is checked against (cutting off entries is detected).
      CREATE FUNCTION records_audit_chain() RETURNS trigger LANGUAGE plpgsql AS $f$
      DECLARE
        n bigint := (NEW.data->>'seq')::bigint;
        prev text;
      BEGIN
        IF NEW.pk <> NEW.origin || ':' || n THEN
          RAISE EXCEPTION 'audit entry % must be keyed %:%', NEW.pk, NEW.origin, n USING ERRCODE = 'PS001';
        END IF;
        IF n > 1 THEN
          SELECT data->>'hash' INTO prev FROM records WHERE tbl = 'audit' AND pk = NEW.origin || ':' || (n - 1);
          IF prev IS NULL THEN
            RAISE EXCEPTION 'audit entry %:% arrived before entry %', NEW.origin, n, n - 1 USING ERRCODE = 'PS001';
          END IF;
          IF prev <> NEW.data->>'prev_hash' THEN
            RAISE EXCEPTION 'audit entry %:% does not chain to entry %', NEW.origin, n, n - 1 USING ERRCODE = 'PS001';
          END IF;
        END IF;
        RETURN NEW;
      END $f$;
      CREATE TRIGGER records_audit_chain BEFORE INSERT ON records FOR EACH ROW WHEN (NEW.tbl = 'audit') EXECUTE FUNCTION records_audit_chain();

      -- Stations listening on 'shop_records' pull when it fires (delivered at commit, once per transaction).
      CREATE FUNCTION records_notify() RETURNS trigger LANGUAGE plpgsql AS $f$
      BEGIN
        PERFORM pg_notify('shop_records', '');
        RETURN NULL;
      END $f$;
      CREATE TRIGGER records_notify AFTER INSERT OR UPDATE ON records FOR EACH STATEMENT EXECUTE FUNCTION records_notify();

      -- One push: the items in order, each judged by its table's policy, each in its own
      -- subtransaction so that one refused item (a duplicate business key, a broken chain) does
      -- not undo the others. Outcomes: stored | same (already there: an idempotent retry) |
      -- conflict (changed since the station saw it, or not its to change) | rejected (constraint).
      CREATE FUNCTION shop_push(p_station text, p_items jsonb)
      RETURNS TABLE (idx int, outcome text, rec_seq bigint, detail text) LANGUAGE plpgsql AS $f$
      DECLARE
        it jsonb;
        n int := 0;
        r records%ROWTYPE;
        pol text;
        del boolean;
      BEGIN
        PERFORM pg_advisory_xact_lock(1801);
        UPDATE stations SET last_seen_at = now() WHERE id = p_station;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'station % has not joined this shop', p_station USING ERRCODE = 'PS002';
        END IF;
        FOR it IN SELECT value FROM jsonb_array_elements(p_items) LOOP
          idx := n; n := n + 1; detail := NULL; rec_seq := NULL;
          del := coalesce((it->>'deleted')::boolean, false);
          SELECT policy INTO pol FROM replicated_tables WHERE tbl = it->>'tbl';
          BEGIN
            IF pol IS NULL THEN
              outcome := 'rejected'; detail := format('table %s is not replicated', it->>'tbl');
            ELSE
              SELECT * INTO r FROM records WHERE tbl = it->>'tbl' AND pk = it->>'pk';
              IF NOT FOUND THEN
                INSERT INTO records (tbl, pk, seq, origin, written_by, deleted, data)
                  VALUES (it->>'tbl', it->>'pk', 0, p_station, p_station, del, CASE WHEN del THEN NULL ELSE it->'data' END)
                  RETURNING seq INTO rec_seq;
                outcome := 'stored';
              ELSIF r.deleted = del AND (del OR r.data = it->'data') THEN
                outcome := 'same'; rec_seq := r.seq;
              ELSIF pol = 'append' THEN
                outcome := 'conflict'; rec_seq := r.seq; detail := 'an append-only record differs from the one stored';
              ELSIF pol = 'owned' AND r.origin <> p_station THEN
                outcome := 'conflict'; rec_seq := r.seq; detail := format('only station %s changes this record', r.origin);
              ELSIF (it->>'base') IS NULL OR (it->>'base')::bigint <> r.seq THEN
                outcome := 'conflict'; rec_seq := r.seq; detail := 'changed on the server since this station last saw it';
              ELSE
                UPDATE records SET data = CASE WHEN del THEN NULL ELSE it->'data' END, deleted = del, written_by = p_station
                  WHERE tbl = r.tbl AND pk = r.pk RETURNING seq INTO rec_seq;
                outcome := 'stored';
              END IF;
            END IF;
          EXCEPTION WHEN unique_violation OR check_violation OR not_null_violation OR sqlstate 'PS001' THEN
            outcome := 'rejected'; detail := SQLERRM;
          END;
          RETURN NEXT;
        END LOOP;
      END $f$;

      -- Per-payment lease: one station at a time captures, voids or refunds a payment. Short, so
      -- a station that dies holding one blocks the others only until it lapses.
      CREATE TABLE payment_leases (
        payment_id text PRIMARY KEY,
        station text NOT NULL REFERENCES stations(id),
        token uuid NOT NULL,
        acquired_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CHECK (expires_at > acquired_at)
      );

      -- One claim per recurring period, shop-wide, taken before the charge.
      CREATE TABLE recurring_claims (
        schedule_id text NOT NULL,
        period integer NOT NULL CHECK (period >= 1),
        reference text NOT NULL UNIQUE,
        station text NOT NULL REFERENCES stations(id),
        claimed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (schedule_id, period)
      );
    `,
  },
  {
    version: 2,
    name: 'station heartbeat; leases only while the payment\'s own station is present',
    sql: `
      -- What a station last said about itself: when, and how many of its changes were still waiting to be pushed.
      ALTER TABLE stations ADD COLUMN waiting integer NOT NULL DEFAULT 0 CHECK (waiting >= 0);

      CREATE FUNCTION shop_heartbeat(p_station text, p_waiting integer) RETURNS void LANGUAGE sql AS $f$
        UPDATE stations SET last_seen_at = now(), waiting = p_waiting WHERE id = p_station;
      $f$;

      -- A lease on a payment of another station is granted only while that station is present:
      -- seen within p_present_ms and with nothing of its own waiting to be pushed. Otherwise it may
      -- be acting on the payment while cut off from the server (it may, after a grace period:
      -- docs/decisions/shop-money-semantics.md), and this desk would decide on a stale view.
      -- Returns the holder, its token and expiry, the payment's seq, and why it was refused.
      CREATE FUNCTION shop_lease(p_payment text, p_station text, p_token uuid, p_ttl_ms integer, p_present_ms integer)
      RETURNS TABLE (station text, token uuid, expires_at timestamptz, payment_seq bigint, refused text) LANGUAGE plpgsql AS $f$
      #variable_conflict use_column
      DECLARE
        owner text;
        seen timestamptz;
        owner_waiting integer;
      BEGIN
        SELECT r.origin, r.seq INTO owner, payment_seq FROM records r WHERE r.tbl = 'payments' AND r.pk = p_payment;
        IF owner IS NOT NULL AND owner <> p_station THEN
          SELECT s.last_seen_at, s.waiting INTO seen, owner_waiting FROM stations s WHERE s.id = owner;
          IF seen < now() - make_interval(secs => p_present_ms / 1000.0) OR owner_waiting > 0 THEN
            station := owner; token := NULL; expires_at := NULL;
            refused := CASE WHEN owner_waiting > 0 THEN 'owner_waiting' ELSE 'owner_away' END;
            RETURN NEXT;
            RETURN;
          END IF;
        END IF;
        -- Serialize takers of this payment's lease (the row lock below covers an existing row only).
        PERFORM pg_advisory_xact_lock(hashtextextended('lease:' || p_payment, 0));
        INSERT INTO payment_leases AS l (payment_id, station, token, acquired_at, expires_at)
          VALUES (p_payment, p_station, p_token, now(), now() + make_interval(secs => p_ttl_ms / 1000.0))
          ON CONFLICT (payment_id) DO UPDATE SET station = EXCLUDED.station, token = EXCLUDED.token,
            acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at
          WHERE l.expires_at <= now() OR l.token = EXCLUDED.token;
        SELECT l.station, l.token, l.expires_at INTO station, token, expires_at FROM payment_leases l WHERE l.payment_id = p_payment;
        refused := CASE WHEN token = p_token THEN NULL ELSE 'held' END;
        RETURN NEXT;
      END $f$;
    `,
  },
  {
    version: 3,
    name: 'the product catalog replicates (ledger migration 013)',
    sql: `
      -- One catalog for the shop: any desk may add or change a product (compare-and-set like customers).
      INSERT INTO replicated_tables (tbl, policy) VALUES ('products', 'shared'), ('product_barcodes', 'shared');
    `,
  },
  {
    // Payment links (ledger migration 012) are shared, owned by the desk that sent them: only it
    // asks the gateway about a link, records its payment and changes it; the others see it.
    version: 4,
    name: 'payment links replicate, owned by the desk that sent them',
    sql: `INSERT INTO replicated_tables (tbl, policy) VALUES ('payment_links', 'owned');`,
  },
  LOST_PUSH_ANSWER,
  {
    // docs/decisions/shop-wide-settings.md: a setting is the later decision of an admin, so no
    // compare-and-set (a losing version would wait in shop_conflicts for nobody): every push is
    // stored and the highest seq wins at every station. Replaced whole, grants kept.
    version: 6,
    name: 'shop-wide settings replicate, the latest by server order wins',
    sql: `
      ALTER TABLE replicated_tables DROP CONSTRAINT replicated_tables_policy_check;
      ALTER TABLE replicated_tables ADD CONSTRAINT replicated_tables_policy_check CHECK (policy IN ('shared', 'owned', 'append', 'latest'));
      INSERT INTO replicated_tables (tbl, policy) VALUES ('shop_settings', 'latest');

      CREATE OR REPLACE FUNCTION shop_push(p_station text, p_items jsonb)
      RETURNS TABLE (idx int, outcome text, rec_seq bigint, detail text) LANGUAGE plpgsql AS $f$
      DECLARE
        it jsonb;
        n int := 0;
        r records%ROWTYPE;
        pol text;
        del boolean;
      BEGIN
        PERFORM pg_advisory_xact_lock(1801);
        UPDATE stations SET last_seen_at = now() WHERE id = p_station;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'station % has not joined this shop', p_station USING ERRCODE = 'PS002';
        END IF;
        FOR it IN SELECT value FROM jsonb_array_elements(p_items) LOOP
          idx := n; n := n + 1; detail := NULL; rec_seq := NULL;
          del := coalesce((it->>'deleted')::boolean, false);
          SELECT policy INTO pol FROM replicated_tables WHERE tbl = it->>'tbl';
          BEGIN
            IF pol IS NULL THEN
              outcome := 'rejected'; detail := format('table %s is not replicated', it->>'tbl');
            ELSE
              SELECT * INTO r FROM records WHERE tbl = it->>'tbl' AND pk = it->>'pk';
              IF NOT FOUND THEN
                INSERT INTO records (tbl, pk, seq, origin, written_by, deleted, data)
                  VALUES (it->>'tbl', it->>'pk', 0, p_station, p_station, del, CASE WHEN del THEN NULL ELSE it->'data' END)
                  RETURNING seq INTO rec_seq;
                outcome := 'stored';
              ELSIF r.deleted = del AND (del OR r.data = it->'data') THEN
                outcome := 'same'; rec_seq := r.seq;
              ELSIF pol = 'append' THEN
                outcome := 'conflict'; rec_seq := r.seq; detail := 'an append-only record differs from the one stored';
              ELSIF pol = 'latest' THEN
                UPDATE records SET data = CASE WHEN del THEN NULL ELSE it->'data' END, deleted = del, written_by = p_station
                  WHERE tbl = r.tbl AND pk = r.pk RETURNING seq INTO rec_seq;
                outcome := 'stored';
              ELSIF pol = 'owned' AND r.origin <> p_station THEN
                outcome := 'conflict'; rec_seq := r.seq; detail := format('only station %s changes this record', r.origin);
              ELSIF r.written_by = p_station THEN
                -- server migration 5 (a push whose answer was lost), kept.
                UPDATE records SET data = CASE WHEN del THEN NULL ELSE it->'data' END, deleted = del, written_by = p_station
                  WHERE tbl = r.tbl AND pk = r.pk RETURNING seq INTO rec_seq;
                outcome := 'stored';
              ELSIF (it->>'base') IS NULL OR (it->>'base')::bigint <> r.seq THEN
                outcome := 'conflict'; rec_seq := r.seq; detail := 'changed on the server since this station last saw it';
              ELSE
                UPDATE records SET data = CASE WHEN del THEN NULL ELSE it->'data' END, deleted = del, written_by = p_station
                  WHERE tbl = r.tbl AND pk = r.pk RETURNING seq INTO rec_seq;
                outcome := 'stored';
              END IF;
            END IF;
          EXCEPTION WHEN unique_violation OR check_violation OR not_null_violation OR sqlstate 'PS001' THEN
            outcome := 'rejected'; detail := SQLERRM;
          END;
          RETURN NEXT;
        END LOOP;
      END $f$;
    `,
  },
  {
    // docs/decisions/leaving-a-shop.md: a station that leaves keeps acting on its own payments
    // without the server, so from then on no other desk may lease them (read-only in the shop).
    version: 7,
    name: 'stations leave the shop; their payments become read-only at the other desks',
    sql: `
      ALTER TABLE stations ADD COLUMN left_at timestamptz;

      -- Refused (returns how many) while another desk holds a lease on one of the station's
      -- payments: that desk may be moving money the leaving station would never hear of.
      CREATE FUNCTION shop_leave(p_station text) RETURNS integer LANGUAGE plpgsql AS $f$
      DECLARE
        held integer;
      BEGIN
        UPDATE stations SET left_at = now(), last_seen_at = now(), waiting = 0 WHERE id = p_station;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'station % has not joined this shop', p_station USING ERRCODE = 'PS002';
        END IF;
        SELECT count(*) INTO held FROM payment_leases l JOIN records r ON r.tbl = 'payments' AND r.pk = l.payment_id
          WHERE r.origin = p_station AND l.station <> p_station AND l.expires_at > now();
        IF held > 0 THEN
          UPDATE stations SET left_at = NULL WHERE id = p_station;
          RETURN held;
        END IF;
        DELETE FROM payment_leases WHERE station = p_station;
        RETURN 0;
      END $f$;

      CREATE OR REPLACE FUNCTION shop_lease(p_payment text, p_station text, p_token uuid, p_ttl_ms integer, p_present_ms integer)
      RETURNS TABLE (station text, token uuid, expires_at timestamptz, payment_seq bigint, refused text) LANGUAGE plpgsql AS $f$
      #variable_conflict use_column
      DECLARE
        owner text;
        seen timestamptz;
        owner_waiting integer;
        owner_left timestamptz;
      BEGIN
        SELECT r.origin, r.seq INTO owner, payment_seq FROM records r WHERE r.tbl = 'payments' AND r.pk = p_payment;
        IF owner IS NOT NULL AND owner <> p_station THEN
          -- FOR SHARE: a station leaving (shop_leave updates its row) waits for this lease, or this waits and sees it left.
          SELECT s.last_seen_at, s.waiting, s.left_at INTO seen, owner_waiting, owner_left FROM stations s WHERE s.id = owner FOR SHARE;
          IF owner_left IS NOT NULL THEN
            station := owner; token := NULL; expires_at := NULL; refused := 'owner_left';
            RETURN NEXT;
            RETURN;
          END IF;
          IF seen < now() - make_interval(secs => p_present_ms / 1000.0) OR owner_waiting > 0 THEN
            station := owner; token := NULL; expires_at := NULL;
            refused := CASE WHEN owner_waiting > 0 THEN 'owner_waiting' ELSE 'owner_away' END;
            RETURN NEXT;
            RETURN;
          END IF;
        END IF;
        -- Serialize takers of this payment's lease (the row lock below covers an existing row only).
        PERFORM pg_advisory_xact_lock(hashtextextended('lease:' || p_payment, 0));
        INSERT INTO payment_leases AS l (payment_id, station, token, acquired_at, expires_at)
          VALUES (p_payment, p_station, p_token, now(), now() + make_interval(secs => p_ttl_ms / 1000.0))
          ON CONFLICT (payment_id) DO UPDATE SET station = EXCLUDED.station, token = EXCLUDED.token,
            acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at
          WHERE l.expires_at <= now() OR l.token = EXCLUDED.token;
        SELECT l.station, l.token, l.expires_at INTO station, token, expires_at FROM payment_leases l WHERE l.payment_id = p_payment;
        refused := CASE WHEN token = p_token THEN NULL ELSE 'held' END;
        RETURN NEXT;
      END $f$;
    `,
  },
  SUPERSEDED_PUSH,
];
