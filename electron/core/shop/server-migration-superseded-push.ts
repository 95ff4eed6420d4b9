/**
 * Server migration: a push whose answer was lost, then built on by another station. A station
 * killed (or cut off) after the server stored its push, but before it recorded the answer, pushes
 * the same rows again when it is back, with its old base. If another station changed one of them
 * meanwhile (it had seen this station's version: a capture on a payment just taken here, its
 * lease lapsed, its station still present), migration 5's own-version rule no longer applies and
 * the unchanged row was refused as "changed on the server since this station last saw it": a
 * conflict for nothing, kept for a person at that desk. Found by the shop soak test (seed
 * 1218961226: a payment and its order made at Desk 3, captured at Desk 1 3.7 s later, Desk 3's
 * identical re-push refused).
 *
 * Each record now remembers, per station, the last version that station stored there (a digest
 * of its data, and the seq it replaced): a column of `records`, so the least-privilege station
 * role of docs/stations.md needs no new grant. A push identical to that version, from a base no
 * newer than the seq it replaced, is answered `same` (no seq): the station drops it from its
 * outbox and the pull that follows brings the newer version. A row the station changed since, or
 * whose stored version it had already learned, is still a conflict.
 * Kept in its own file so that a merge can renumber it; shop_push is repeated whole on purpose
 * (see server-migrations.ts).
 */
export const SUPERSEDED_PUSH: { version: number; name: string; sql: string } = {
  version: 8,
  name: 'a push stored, its answer lost and built on by another station is not a conflict',
  sql: `
      -- { station: { md5: digest of its last stored data (null: deleted), after: the seq it replaced } }
      ALTER TABLE records ADD COLUMN pushed jsonb NOT NULL DEFAULT '{}';

      CREATE OR REPLACE FUNCTION shop_push(p_station text, p_items jsonb)
      RETURNS TABLE (idx int, outcome text, rec_seq bigint, detail text) LANGUAGE plpgsql AS $f$
      DECLARE
        it jsonb;
        n int := 0;
        r records%ROWTYPE;
        pol text;
        del boolean;
        digest text;
        mine jsonb;
      BEGIN
        PERFORM pg_advisory_xact_lock(1801);
        UPDATE stations SET last_seen_at = now() WHERE id = p_station;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'station % has not joined this shop', p_station USING ERRCODE = 'PS002';
        END IF;
        FOR it IN SELECT value FROM jsonb_array_elements(p_items) LOOP
          idx := n; n := n + 1; detail := NULL; rec_seq := NULL;
          del := coalesce((it->>'deleted')::boolean, false);
          digest := CASE WHEN del THEN NULL ELSE md5((it->'data')::text) END;
          SELECT policy INTO pol FROM replicated_tables WHERE tbl = it->>'tbl';
          BEGIN
            IF pol IS NULL THEN
              outcome := 'rejected'; detail := format('table %s is not replicated', it->>'tbl');
            ELSE
              SELECT * INTO r FROM records WHERE tbl = it->>'tbl' AND pk = it->>'pk';
              IF NOT FOUND THEN
                INSERT INTO records (tbl, pk, seq, origin, written_by, deleted, data, pushed)
                  VALUES (it->>'tbl', it->>'pk', 0, p_station, p_station, del, CASE WHEN del THEN NULL ELSE it->'data' END,
                    jsonb_build_object(p_station, jsonb_build_object('md5', digest, 'after', 0)))
                  RETURNING seq INTO rec_seq;
                outcome := 'stored';
              ELSIF r.deleted = del AND (del OR r.data = it->'data') THEN
                outcome := 'same'; rec_seq := r.seq;
              ELSIF pol = 'append' THEN
                outcome := 'conflict'; rec_seq := r.seq; detail := 'an append-only record differs from the one stored';
              ELSIF pol = 'latest' THEN
                UPDATE records SET data = CASE WHEN del THEN NULL ELSE it->'data' END, deleted = del, written_by = p_station,
                    pushed = r.pushed || jsonb_build_object(p_station, jsonb_build_object('md5', digest, 'after', r.seq))
                  WHERE tbl = r.tbl AND pk = r.pk RETURNING seq INTO rec_seq;
                outcome := 'stored';
              ELSIF pol = 'owned' AND r.origin <> p_station THEN
                outcome := 'conflict'; rec_seq := r.seq; detail := format('only station %s changes this record', r.origin);
              ELSIF r.written_by = p_station THEN
                -- server migration 5 (a push whose answer was lost), kept.
                UPDATE records SET data = CASE WHEN del THEN NULL ELSE it->'data' END, deleted = del, written_by = p_station,
                    pushed = r.pushed || jsonb_build_object(p_station, jsonb_build_object('md5', digest, 'after', r.seq))
                  WHERE tbl = r.tbl AND pk = r.pk RETURNING seq INTO rec_seq;
                outcome := 'stored';
              ELSIF (it->>'base') IS NULL OR (it->>'base')::bigint <> r.seq THEN
                -- This station's own last stored version, unchanged, that another station has
                -- since built on: already stored, its answer lost. Answered with its own seq.
                mine := r.pushed->p_station;
                IF mine IS NOT NULL AND (mine->>'md5') IS NOT DISTINCT FROM digest
                    AND ((it->>'base') IS NULL OR (it->>'base')::bigint <= (mine->>'after')::bigint) THEN
                  outcome := 'same';
                ELSE
                  outcome := 'conflict'; rec_seq := r.seq; detail := 'changed on the server since this station last saw it';
                END IF;
              ELSE
                UPDATE records SET data = CASE WHEN del THEN NULL ELSE it->'data' END, deleted = del, written_by = p_station,
                    pushed = r.pushed || jsonb_build_object(p_station, jsonb_build_object('md5', digest, 'after', r.seq))
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
