"""The SQLite store's people, places and threads: what an enrichment run reads of the letters
(their headings, then their texts a chunk at a time), what it stores (migration 0003: written only
where it differs from what the run before stored; each letter whose mentions or links changed
numbered in the change sequence, migration 0004), and the questions the archive asks of it (a
person's letters, correspondents, the network).

A mixin of ``SQLiteStore``, kept apart so that neither file grows past what one reads at once.
Every query here is plain SQL that PostgreSQL runs as well (no SQLite-only syntax).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

from ..errors import ArchiveError
from ..model import Agent, Collection, Letter, Place, Source, When
from .base import EnrichmentRows, LetterEnrichment, PeopleCorrection

if TYPE_CHECKING:
    from .sqlite import _Transaction

_CHUNK = 500
_LIVE = "l.withdrawn_at IS NULL"
_ORDER = "CASE WHEN l.date_sort IS NULL THEN 1 ELSE 0 END, l.date_sort, l.num"


_HEAD_SELECT = (
    "SELECT l.num, l.id, l.title, l.part, l.date_when, l.date_not_before, l.date_not_after, l.date_as_written, "
    "l.date_certainty, l.date_calendar, p.name, p.ref, l.place_as_written, d.name, d.ref, "
    "l.destination_as_written, l.collection_title, l.collection_volume, l.collection_number, l.dateline, "
    "l.language FROM letters l LEFT JOIN places p ON p.id = l.place LEFT JOIN places d ON d.id = l.destination "
    "WHERE l.withdrawn_at IS NULL AND l.num > ? ORDER BY l.num LIMIT ?"
)


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def _agent_key(agent: Agent) -> tuple[Any, ...]:
    return ("agent", agent.name, agent.as_written, agent.role, agent.ref, agent.kind)


def _place_key(place: Place) -> tuple[Any, ...]:
    return ("place", place.name, place.as_written, place.ref)


def _head(row: Sequence[Any], parties: Sequence[tuple[Any, ...]]) -> Letter:
    """Give a letter's heading from a row of ``_HEAD_SELECT`` and its parties' rows (role,
    position, kind, name, ref, as written, office), as ``rows.assemble`` reads them."""
    (_num, ident, title, part, when, not_before, not_after, as_written, certainty, calendar, place, place_ref,
     place_written, destination, destination_ref, destination_written, collection_title, volume, number,
     dateline, language) = row
    # Words a million letters repeat are kept once ("high", "gregorian", "en", a collection's title).
    certainty, calendar, language, collection_title, volume = (
        None if v is None else sys.intern(str(v)) for v in (certainty, calendar, language, collection_title, volume))
    letter = Letter(
        source=Source("", int(part or 0)), id=str(ident), title=title,
        date=When(when, not_before, not_after, as_written, certainty, calendar) if certainty is not None else None,
        place=Place(place, place_written, place_ref or None) if place is not None else None,
        destination=Place(destination, destination_written, destination_ref or None)
        if destination is not None else None,
        collection=Collection(collection_title, volume, number)
        if (collection_title, volume, number) != (None, None, None) else None,
        dateline=dateline, language=language)
    for role, _position, kind, name, ref, written, office in sorted(parties, key=lambda a: (a[0], a[1])):
        agent = Agent(name=name, as_written=written, role=office, ref=ref or None, kind=kind)
        if role == "sender":
            letter.sender = agent
        elif role == "co_sender":
            letter.co_senders.append(agent)
        else:
            letter.recipients.append(agent)
    return letter


class PeopleTables:
    """Enrichment's tables of an SQLite store (mixed into ``SQLiteStore``)."""

    con: sqlite3.Connection
    path: str
    read_only: bool

    def _transaction(self) -> _Transaction:  # pragma: no cover - SQLiteStore's
        raise NotImplementedError

    def _agent_id(self, kind: str, name: str, ref: str) -> int:  # pragma: no cover - SQLiteStore's
        raise NotImplementedError

    def _place_id(self, place: tuple[str, str] | None) -> int | None:  # pragma: no cover - SQLiteStore's
        raise NotImplementedError

    # -- reading what enrichment reads ----------------------------------------------------------

    def iter_letter_heads(self, *, size: int = 2000) -> Iterator[Letter]:
        """Give the live letters without their texts, by row number (see ``Store.iter_letter_heads``).

        The parties and places of the letters are shared among them where they are equal (one
        ``Agent`` for every letter "Alfred Escher" wrote): a million headings stay small."""
        after = 0
        shared: dict[Any, Any] = {}
        while True:
            page, after = self._head_page(after, size)
            for letter in page:
                if letter.sender is not None:
                    letter.sender = shared.setdefault(_agent_key(letter.sender), letter.sender)
                letter.recipients = [shared.setdefault(_agent_key(a), a) for a in letter.recipients]
                letter.co_senders = [shared.setdefault(_agent_key(a), a) for a in letter.co_senders]
                if letter.place is not None:
                    letter.place = shared.setdefault(_place_key(letter.place), letter.place)
                if letter.destination is not None:
                    letter.destination = shared.setdefault(_place_key(letter.destination), letter.destination)
            yield from page
            if len(page) < size:
                return

    def _head_page(self, after: int, size: int) -> tuple[list[Letter], int]:
        """Give the headings of the next ``size`` live letters after row ``after``, and the last row."""
        rows = self.con.execute(_HEAD_SELECT, (after, size)).fetchall()
        if not rows:
            return [], after
        nums = [r[0] for r in rows]
        parties: dict[int, list[tuple[Any, ...]]] = {}
        for row in self.con.execute(
                "SELECT la.letter, la.role, la.position, a.kind, a.name, a.ref, la.as_written, la.office "
                "FROM letter_agents la JOIN agents a ON a.id = la.agent "
                f"WHERE la.letter IN ({_marks(nums)}) AND la.role != 'mentioned'", nums):
            parties.setdefault(row[0], []).append(row[1:])
        return [_head(row, parties.get(row[0], ())) for row in rows], nums[-1]

    def letter_texts(self, ids: Sequence[str]) -> dict[str, tuple[str | None, list[str], str | None]]:
        """Give the salutation, body paragraphs and postscript of the live letters among these ids."""
        found: dict[str, tuple[str | None, list[str], str | None]] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start:start + _CHUNK])
            for ident, salutation, body, body_json, postscript in self.con.execute(
                    "SELECT id, salutation, body, body_json, postscript FROM letters "
                    f"WHERE id IN ({_marks(chunk)}) AND withdrawn_at IS NULL", chunk):
                paragraphs = json.loads(body_json) if body_json is not None else \
                    body.split("\n\n") if body is not None else []
                found[str(ident)] = (salutation, paragraphs, postscript)
        return found

    # -- writing a run --------------------------------------------------------------------------

    def write_enrichment(self, rows: EnrichmentRows, *, keys: dict[str, str]) -> None:
        """Store what an enrichment run found (``store_enrichment``, whose answer this drops)."""
        self.store_enrichment(rows, keys=keys)

    def store_enrichment(self, rows: EnrichmentRows, *, keys: dict[str, str]) -> list[str]:
        """Give the letters whose mentions or links changed, after storing what an enrichment run
        found (see ``Store.store_enrichment``).

        Its rows point to letters looked up and records written in the same transaction, so the
        foreign keys are not checked row by row: in a large archive each check reads the letter's
        page again (a letter's row is as large as a page), which cost more than all the writing.
        """
        from .sqlite import now

        if self.read_only:
            raise ArchiveError(f"the archive {self.path} is open read-only")
        self.con.execute("PRAGMA foreign_keys = OFF")  # only outside a transaction
        try:
            with self._transaction():
                return self._store_enrichment(rows, keys, now())
        except sqlite3.Error as exc:
            raise ArchiveError(f"the findings of enrichment could not be stored ({exc})") from None
        finally:
            self.con.execute("PRAGMA foreign_keys = ON")

    def _store_enrichment(self, rows: EnrichmentRows, keys: dict[str, str], stamp: str) -> list[str]:
        """Write a run's records and letter rows where they differ from what is stored; record an
        ``enriched`` change for each letter whose mentions or links changed; give their ids."""
        con = self.con
        persons = {p.id: (p.name, p.kind, json.dumps(p.authority), p.confidence, p.reason) for p in rows.persons}
        self._upsert("persons", ("name", "kind", "authority", "confidence", "reason"), persons)
        places = {p.id: (p.name, p.lat, p.lon, json.dumps(p.authority, ensure_ascii=False),
                         json.dumps(p.names, ensure_ascii=False)) for p in rows.places}
        self._upsert("place_records", ("name", "lat", "lon", "authority", "names"), places)
        # The name shown is a form too (never written so, it counts 0): from:"J. V. Stalin" finds him.
        forms = {(p.id, form): (keys.get(form, form.casefold()), count) for p in rows.persons
                 for form, count in ({p.name: 0} | p.forms).items()}
        stored_forms = {(str(p), str(f)): (k, n) for p, f, k, n in con.execute(
            "SELECT person, form, key, count FROM person_forms")}
        con.executemany("DELETE FROM person_forms WHERE person = ? AND form = ?",
                        [k for k, v in stored_forms.items() if forms.get(k) != v])
        con.executemany("INSERT INTO person_forms (person, form, key, count) VALUES (?, ?, ?, ?)",
                        [(*k, *v) for k, v in forms.items() if stored_forms.get(k) != v])
        changed: list[str] = []
        batch: list[LetterEnrichment] = []
        for found in rows.letters:
            batch.append(found)
            if len(batch) >= _CHUNK:
                changed.extend(self._store_letters(batch, rows.computed_rels))
                batch = []
        changed.extend(self._store_letters(batch, rows.computed_rels))
        # Rows of withdrawn letters and of records no longer found go (the run before wrote them).
        for table in ("letter_persons", "letter_place_records"):
            con.execute(f"DELETE FROM {table} WHERE letter IN (SELECT num FROM letters WHERE withdrawn_at IS NOT NULL)")
        for table, kept in (("persons", persons), ("place_records", places)):
            stale = [(i,) for (i,) in con.execute(f"SELECT id FROM {table}") if i not in kept]
            if stale:
                child = "letter_persons WHERE person" if table == "persons" else "letter_place_records WHERE place"
                con.executemany(f"DELETE FROM {child} = ?", stale)
                if table == "persons":
                    con.executemany("DELETE FROM person_forms WHERE person = ?", stale)
                con.executemany(f"DELETE FROM {table} WHERE id = ?", stale)
        nums = self._nums(changed)
        con.executemany("INSERT INTO changes (letter, kind, at) VALUES (?, 'enriched', ?)",
                        [(nums[i], stamp) for i in changed if i in nums])
        return changed

    def _upsert(self, table: str, columns: tuple[str, ...], records: dict[str, tuple[Any, ...]]) -> None:
        """Write the records of a table (by id) that are new or differ from those stored."""
        stored = {str(r[0]): tuple(r[1:]) for r in self.con.execute(f"SELECT id, {', '.join(columns)} FROM {table}")}
        self.con.executemany(
            f"INSERT INTO {table} (id, {', '.join(columns)}) VALUES (?, {_marks(columns)}) ON CONFLICT (id) "
            f"DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in columns)}",
            [(ident, *values) for ident, values in records.items() if stored.get(ident) != values])

    def _store_letters(self, batch: list[LetterEnrichment], computed_rels: tuple[str, ...]) -> list[str]:
        """Write the rows of a few hundred letters that differ from those stored; give the ids of
        those whose mentions or links changed."""
        con = self.con
        nums = self._nums([found.id for found in batch])
        if not nums:
            return []
        marks = _marks(nums)
        values = list(nums.values())
        stored: dict[str, dict[int, list[tuple[Any, ...]]]] = {}
        for name, query in (
            ("persons", f"SELECT letter, person, role, form, confidence FROM letter_persons WHERE letter IN ({marks})"),
            ("places", f"SELECT letter, place, role, form FROM letter_place_records WHERE letter IN ({marks})"),
            ("mentions", "SELECT la.letter, la.position, a.kind, a.name, a.ref, la.as_written, la.office "
                         "FROM letter_agents la JOIN agents a ON a.id = la.agent "
                         f"WHERE la.letter IN ({marks}) AND la.role = 'mentioned'"),
            ("named", "SELECT lp.letter, lp.position, p.name, p.ref, lp.as_written FROM letter_places lp "
                      f"JOIN places p ON p.id = lp.place WHERE lp.letter IN ({marks})"),
            ("links", f"SELECT letter, position, rel, target, label, evidence, confidence FROM links "
                      f"WHERE letter IN ({marks})"),
        ):
            by_letter: dict[int, list[tuple[Any, ...]]] = {}
            for row in con.execute(query, values):
                by_letter.setdefault(row[0], []).append(tuple(row[1:]))
            stored[name] = by_letter
        person_rows: list[tuple[Any, ...]] = []
        place_rows: list[tuple[Any, ...]] = []
        agent_rows: list[tuple[Any, ...]] = []
        named_rows: list[tuple[Any, ...]] = []
        link_rows: list[tuple[Any, ...]] = []
        replaced: dict[str, list[tuple[int]]] = {"persons": [], "places": [], "mentions": [], "named": [], "links": []}
        changed: list[str] = []
        for found in batch:
            num = nums.get(found.id)
            if num is None:
                continue
            wanted = list({(person, role): (person, role, form, confidence)
                           for person, role, form, confidence in reversed(found.persons)}.values())
            if set(wanted) != set(stored["persons"].get(num, ())):
                replaced["persons"].append((num,))
                person_rows.extend((num, *row) for row in wanted)
            named = list({(place, role): (place, role, form) for place, role, form in reversed(found.places)}.values())
            if set(named) != set(stored["places"].get(num, ())):
                replaced["places"].append((num,))
                place_rows.extend((num, *row) for row in named)
            differs = False
            if found.mentions_persons is not None:
                old = [row[1:] for row in sorted(stored["mentions"].get(num, ()))]
                new = [(kind, name, ref, as_written, None) for kind, name, ref, as_written in found.mentions_persons]
                if old != new:
                    differs = True
                    replaced["mentions"].append((num,))
                    agent_rows.extend((num, "mentioned", position, self._agent_id(kind, name, ref), as_written, None)
                                      for position, (kind, name, ref, as_written, _) in enumerate(new))
            if found.mentions_places is not None:
                old = [row[1:] for row in sorted(stored["named"].get(num, ()))]
                new = [(name, ref, as_written) for name, ref, as_written in found.mentions_places]
                if old != new:
                    differs = True
                    replaced["named"].append((num,))
                    named_rows.extend((num, position, self._place_id((name, ref)), as_written)
                                      for position, (name, ref, as_written) in enumerate(new))
            if found.links is not None:
                old = [row[1:] for row in sorted(stored["links"].get(num, ()), key=lambda r: r[0])]
                kept = [row for row in old if row[0] not in computed_rels or row[4] is None]
                new = kept + [(k.rel, k.target, k.label, k.evidence, k.confidence) for k in found.links]
                if old != new:
                    differs = True
                    replaced["links"].append((num,))
                    link_rows.extend((num, position, *row) for position, row in enumerate(new))
            if differs:
                changed.append(found.id)
        for name, sql in (("persons", "DELETE FROM letter_persons WHERE letter = ?"),
                          ("places", "DELETE FROM letter_place_records WHERE letter = ?"),
                          ("mentions", "DELETE FROM letter_agents WHERE letter = ? AND role = 'mentioned'"),
                          ("named", "DELETE FROM letter_places WHERE letter = ?"),
                          ("links", "DELETE FROM links WHERE letter = ?")):
            con.executemany(sql, replaced[name])
        for sql, values in (
            ("INSERT INTO letter_persons (letter, person, role, form, confidence) VALUES (?, ?, ?, ?, ?)", person_rows),
            ("INSERT INTO letter_place_records (letter, place, role, form) VALUES (?, ?, ?, ?)", place_rows),
            ("INSERT INTO letter_agents (letter, role, position, agent, as_written, office) VALUES (?, ?, ?, ?, ?, ?)",
             agent_rows),
            ("INSERT INTO letter_places (letter, position, place, as_written) VALUES (?, ?, ?, ?)", named_rows),
            ("INSERT INTO links (letter, position, rel, target, label, evidence, confidence) "
             "VALUES (?, ?, ?, ?, ?, ?, ?)", link_rows),
        ):
            if values:
                con.executemany(sql, values)
        return changed

    def _nums(self, ids: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start:start + _CHUNK])
            found.update((str(i), int(n)) for i, n in self.con.execute(
                f"SELECT id, num FROM letters WHERE id IN ({_marks(chunk)})", chunk))
        return found

    # -- people ---------------------------------------------------------------------------------

    def person_forms(self) -> list[tuple[str, str]]:
        """Give every (form, person id) stored."""
        return [(str(f), str(p)) for f, p in self.con.execute("SELECT form, person FROM person_forms")]

    def find_persons(self, keys: Sequence[str]) -> list[str]:
        """Give the ids of persons with a form (or an id) of these folded keys, or a form whose
        last word is one ("stalin": "J. V. Stalin")."""
        if not keys:
            return []
        marks = _marks(keys)
        words = [k for k in keys if k and " " not in k]
        ending = "".join(" OR key LIKE ? ESCAPE '\\'" for _ in words)
        patterns = ["% " + k.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for k in words]
        rows = self.con.execute(
            f"SELECT DISTINCT person FROM person_forms WHERE key IN ({marks}){ending} "
            f"UNION SELECT id FROM persons WHERE id IN ({marks})", [*keys, *patterns, *keys])
        return sorted(str(r[0]) for r in rows)

    def forms_of(self, person_ids: Sequence[str]) -> list[str]:
        """Give every form of these persons, most written first."""
        if not person_ids:
            return []
        rows = self.con.execute(f"SELECT form, sum(count) AS n FROM person_forms WHERE person IN "
                                f"({_marks(person_ids)}) GROUP BY form ORDER BY n DESC, form", list(person_ids))
        return [str(r[0]) for r in rows]

    def list_persons(self, *, query_key: str | None, sort: Literal["letters", "name"], limit: int,
                     offset: int) -> tuple[int, list[dict[str, Any]]]:
        """Give the number of persons matching and one page of them, with their letter counts."""
        where, params = "", []
        if query_key:
            where = ("WHERE p.id IN (SELECT person FROM person_forms WHERE key LIKE ? ESCAPE '\\') "
                     "OR lower(p.name) LIKE ? ESCAPE '\\'")
            pattern = "%" + query_key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            params = [pattern, pattern]
        total = self.con.execute(f"SELECT count(*) FROM persons p {where}", params).fetchone()[0]
        order = "p.name, p.id" if sort == "name" else \
            "coalesce(c.sent + c.received + c.named, 0) DESC, p.name, p.id"
        rows = self.con.execute(
            "SELECT p.id, p.name, p.kind, p.authority, coalesce(c.sent, 0), coalesce(c.received, 0), "
            "coalesce(c.named, 0) FROM persons p LEFT JOIN ("
            "  SELECT lp.person AS person,"
            "    sum(CASE WHEN lp.role = 'sender' THEN 1 ELSE 0 END) AS sent,"
            "    sum(CASE WHEN lp.role = 'recipient' THEN 1 ELSE 0 END) AS received,"
            "    sum(CASE WHEN lp.role = 'mentioned' THEN 1 ELSE 0 END) AS named"
            f"  FROM letter_persons lp JOIN letters l ON l.num = lp.letter WHERE {_LIVE} GROUP BY lp.person"
            f") c ON c.person = p.id {where} ORDER BY {order} "
            "LIMIT ? OFFSET ?", [*params, limit, offset])
        return int(total), [
            {"id": r[0], "name": r[1], "kind": r[2], "letters_from": r[4], "letters_to": r[5], "mentioned_in": r[6],
             "authority": json.loads(r[3])} for r in rows]

    def get_person(self, id: str) -> dict[str, Any] | None:
        """Give a person with its forms, None when unknown."""
        row = self.con.execute("SELECT id, name, kind, authority, confidence, reason FROM persons WHERE id = ?",
                               (id,)).fetchone()
        if row is None:
            return None
        forms = [(str(f), int(n)) for f, n in self.con.execute(
            "SELECT form, count FROM person_forms WHERE person = ? AND count > 0 ORDER BY count DESC, form", (id,))]
        return {"id": row[0], "name": row[1], "kind": row[2], "authority": json.loads(row[3]),
                "confidence": row[4], "reason": row[5], "forms": forms}

    def person_letters(self, id: str) -> list[tuple[str, str]]:
        """Give (letter id, role) of the person's live letters, by date."""
        return [(str(i), str(r)) for i, r in self.con.execute(
            "SELECT l.id, lp.role FROM letter_persons lp JOIN letters l ON l.num = lp.letter "
            f"WHERE lp.person = ? AND {_LIVE} ORDER BY {_ORDER}", (id,))]

    def correspondents(self, id: str) -> list[tuple[str, str, int]]:
        """Give (id, name, letters) of the person's correspondents, most letters first."""
        rows = self.con.execute(
            "SELECT o.person, p.name, count(DISTINCT o.letter) AS n FROM letter_persons me "
            "JOIN letter_persons o ON o.letter = me.letter AND o.person != me.person "
            "AND o.role IN ('sender', 'recipient') AND o.role != me.role "
            "JOIN letters l ON l.num = me.letter JOIN persons p ON p.id = o.person "
            f"WHERE me.person = ? AND me.role IN ('sender', 'recipient') AND {_LIVE} "
            "GROUP BY o.person, p.name ORDER BY n DESC, p.name", (id,))
        return [(str(a), str(b), int(n)) for a, b, n in rows]

    def person_names(self, ids: Sequence[str]) -> dict[str, tuple[str, int]]:
        """Give, by id, the person's name and their live letters as sender or recipient."""
        found: dict[str, tuple[str, int]] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start:start + _CHUNK])
            for ident, name, count in self.con.execute(
                    "SELECT p.id, p.name, (SELECT count(DISTINCT lp.letter) FROM letter_persons lp "
                    f"JOIN letters l ON l.num = lp.letter WHERE lp.person = p.id AND {_LIVE} "
                    "AND lp.role IN ('sender', 'recipient')) "
                    f"FROM persons p WHERE p.id IN ({_marks(chunk)})", chunk):
                found[str(ident)] = (str(name), int(count))
        return found

    def network(self, *, min_letters: int, limit: int) -> list[tuple[str, str, int]]:
        """Give (sender, recipient, letters) pairs, most letters first."""
        rows = self.con.execute(
            "SELECT s.person, r.person, count(DISTINCT s.letter) AS n FROM letter_persons s "
            "JOIN letter_persons r ON r.letter = s.letter AND r.role = 'recipient' AND r.person != s.person "
            f"JOIN letters l ON l.num = s.letter WHERE s.role = 'sender' AND {_LIVE} "
            "GROUP BY s.person, r.person HAVING count(DISTINCT s.letter) >= ? ORDER BY n DESC, s.person, r.person "
            "LIMIT ?", (min_letters, limit))
        return [(str(a), str(b), int(n)) for a, b, n in rows]

    # -- places ---------------------------------------------------------------------------------

    def list_places(self, *, query_key: str | None, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
        """Give the number of places matching and one page of them, most letters first."""
        where, params = "", []
        if query_key:
            where = "WHERE lower(p.name) LIKE ? ESCAPE '\\' OR lower(p.names) LIKE ? ESCAPE '\\'"
            pattern = "%" + query_key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            params = [pattern, pattern]
        total = self.con.execute(f"SELECT count(*) FROM place_records p {where}", params).fetchone()[0]
        rows = self.con.execute(
            "SELECT p.id, p.name, p.lat, p.lon, p.authority, coalesce(c.written, 0), coalesce(c.named, 0) "
            "FROM place_records p LEFT JOIN ("
            "  SELECT lp.place AS place,"
            "    sum(CASE WHEN lp.role = 'written' THEN 1 ELSE 0 END) AS written,"
            "    sum(CASE WHEN lp.role = 'mentioned' THEN 1 ELSE 0 END) AS named"
            f"  FROM letter_place_records lp JOIN letters l ON l.num = lp.letter WHERE {_LIVE} GROUP BY lp.place"
            f") c ON c.place = p.id {where} "
            "ORDER BY coalesce(c.written, 0) + coalesce(c.named, 0) DESC, p.name, p.id LIMIT ? OFFSET ?",
            [*params, limit, offset])
        return int(total), [{"id": r[0], "name": r[1], "lat": r[2], "lon": r[3], "authority": json.loads(r[4]),
                             "letters_from": r[5], "mentioned_in": r[6]} for r in rows]

    def get_place(self, id: str) -> dict[str, Any] | None:
        """Give a place record, None when unknown."""
        row = self.con.execute("SELECT id, name, lat, lon, authority, names FROM place_records WHERE id = ?",
                               (id,)).fetchone()
        if row is None:
            return None
        return {"id": row[0], "name": row[1], "lat": row[2], "lon": row[3], "authority": json.loads(row[4]),
                "names": json.loads(row[5])}

    def place_letters(self, id: str) -> list[tuple[str, str]]:
        """Give (letter id, role) of the place's live letters, by date."""
        return [(str(i), str(r)) for i, r in self.con.execute(
            "SELECT l.id, lp.role FROM letter_place_records lp JOIN letters l ON l.num = lp.letter "
            f"WHERE lp.place = ? AND {_LIVE} ORDER BY {_ORDER}", (id,))]

    # -- corrections ----------------------------------------------------------------------------

    def add_people_correction(self, correction: PeopleCorrection) -> PeopleCorrection:
        """Record a correction of the people (stamped now), for every later run."""
        from .sqlite import now

        correction.at = correction.at or now()
        try:
            with self._transaction():
                self.con.execute(
                    "INSERT INTO people_corrections (action, target, other, forms, name, new_id, editor, at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (correction.action, correction.target, correction.other,
                     json.dumps(correction.forms, ensure_ascii=False), correction.name, correction.new_id,
                     correction.editor, correction.at))
        except sqlite3.Error as exc:
            raise ArchiveError(f"the correction could not be stored ({exc})") from None
        return correction

    def people_corrections(self) -> list[PeopleCorrection]:
        """Give the corrections of the people, oldest first."""
        return [PeopleCorrection(action, target, editor, at, other, json.loads(forms), name, new_id)
                for action, target, other, forms, name, new_id, editor, at in self.con.execute(
                    "SELECT action, target, other, forms, name, new_id, editor, at FROM people_corrections "
                    "ORDER BY id")]


__all__ = ["PeopleTables"]
