/**
 * Server migration: a push whose answer was lost. A station that is killed (or loses its
 * connection) after the server stored its push, but before it recorded the answer, still has
 * those rows in its outbox without the server's seq; if a row changes again before it is pushed
 * again (the start-up sweep finishing an operation, a clerk's next step), the compare-and-set saw
 * "changed on the server since this station last saw it" and refused it: the server kept the
 * in-flight version for good, and the other desks held that payment back as work in flight
 * forever. Found by the soak test's SIGKILL at the "push stored, not acknowledged" point.
 *
 * The server's version written by this same station is one this station wrote, so its row can
 * only have changed on top of it (a station's own writes are sequential, and a pull never
 * overwrites a record this station wrote last): stored. Another station's newer version is still
 * a conflict. Kept in its own file so that a merge can renumber it. shop_push is repeated whole on
 * purpose (see server-migrations.ts): a migration replaces the function, it cannot patch it.
 */
export const LOST_PUSH_ANSWER: { version: number; name: string; sql: string } = {
  version: 5,
  name: 'a push whose answer was lost: the station\'s own version is not a conflict',
  sql: `
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
              ELSIF pol = 'owned' AND r.origin <> p_station THEN
                outcome := 'conflict'; rec_seq := r.seq; detail := format('only station %s changes this record', r.origin);
              ELSIF r.written_by = p_station THEN
                -- This station's own version, whose answer it never got (killed, or the connection
                -- lost after the commit): its row has only changed on top of it since. Stored.
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
};
