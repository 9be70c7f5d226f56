"""The SQLite store's people, places and threads: what an enrichment run stores (migration 0003),
and the questions the archive asks of it (a person's letters, correspondents, the network).

A mixin of ``SQLiteStore``, kept apart so that neither file grows past what one reads at once.
Every query here is plain SQL that PostgreSQL runs as well (no SQLite-only syntax).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from ..errors import ArchiveError
from ..model import Agent
from .base import EnrichmentRows, PeopleCorrection

if TYPE_CHECKING:
    from .sqlite import _Transaction

_CHUNK = 500
_LIVE = "l.withdrawn_at IS NULL"
_ORDER = "CASE WHEN l.date_sort IS NULL THEN 1 ELSE 0 END, l.date_sort, l.num"


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


class PeopleTables:
    """Enrichment's tables of an SQLite store (mixed into ``SQLiteStore``)."""

    con: sqlite3.Connection

    def _transaction(self) -> _Transaction:  # pragma: no cover - SQLiteStore's
        raise NotImplementedError

    def _agent_id(self, kind: str, name: str, ref: str) -> int:  # pragma: no cover - SQLiteStore's
        raise NotImplementedError

    def _place_id(self, place: tuple[str, str] | None) -> int | None:  # pragma: no cover - SQLiteStore's
        raise NotImplementedError

    # -- writing a run --------------------------------------------------------------------------

    def write_enrichment(self, rows: EnrichmentRows, *, keys: dict[str, str]) -> None:
        """Store what an enrichment run found (see ``Store.write_enrichment``)."""
        try:
            with self._transaction():
                self._write_enrichment(rows, keys)
        except sqlite3.Error as exc:
            raise ArchiveError(f"the findings of enrichment could not be stored ({exc})") from None

    def _write_enrichment(self, rows: EnrichmentRows, keys: dict[str, str]) -> None:
        con = self.con
        for table in ("letter_persons", "letter_place_records", "person_forms", "persons", "place_records"):
            con.execute(f"DELETE FROM {table}")
        con.executemany(
            "INSERT INTO persons (id, name, kind, authority, confidence, reason) VALUES (?, ?, ?, ?, ?, ?)",
            [(p.id, p.name, p.kind, json.dumps(p.authority), p.confidence, p.reason) for p in rows.persons])
        # The name shown is a form too (never written so, it counts 0): from:"J. V. Stalin" finds him.
        con.executemany(
            "INSERT INTO person_forms (person, form, key, count) VALUES (?, ?, ?, ?)",
            [(p.id, form, keys.get(form, form.casefold()), count) for p in rows.persons
             for form, count in ({p.name: 0} | p.forms).items()])
        con.executemany(
            "INSERT INTO place_records (id, name, lat, lon, authority, names) VALUES (?, ?, ?, ?, ?, ?)",
            [(p.id, p.name, p.lat, p.lon, json.dumps(p.authority, ensure_ascii=False),
              json.dumps(p.names, ensure_ascii=False)) for p in rows.places])
        nums = self._nums([found.id for found in rows.letters])
        persons: list[tuple[Any, ...]] = []
        places: list[tuple[Any, ...]] = []
        replaced_mentions: list[tuple[int]] = []
        replaced_places: list[tuple[int]] = []
        replaced_links: list[tuple[int]] = []
        agent_rows: list[tuple[Any, ...]] = []
        place_rows: list[tuple[Any, ...]] = []
        link_rows: list[tuple[Any, ...]] = []
        for found in rows.letters:
            num = nums.get(found.id)
            if num is None:
                continue
            seen: set[tuple[str, str]] = set()
            for person, role, form, confidence in found.persons:
                if (person, role) not in seen:
                    seen.add((person, role))
                    persons.append((num, person, role, form, confidence))
            seen = set()
            for place, role, form in found.places:
                if (place, role) not in seen:
                    seen.add((place, role))
                    places.append((num, place, role, form))
            if found.mentions_persons is not None:
                replaced_mentions.append((num,))
                agent_rows.extend(self._mention_rows(num, found.mentions_persons))
            if found.mentions_places is not None:
                replaced_places.append((num,))
                place_rows.extend((num, position, self._place_id((p.name, p.ref or "")), p.as_written)
                                  for position, p in enumerate(found.mentions_places))
            if found.links is not None:
                replaced_links.append((num,))
                link_rows.extend((num, position, k.rel, k.target, k.label, k.evidence, k.confidence)
                                 for position, k in enumerate(found.links))
        con.executemany("INSERT INTO letter_persons (letter, person, role, form, confidence) VALUES (?, ?, ?, ?, ?)",
                        persons)
        con.executemany("INSERT INTO letter_place_records (letter, place, role, form) VALUES (?, ?, ?, ?)", places)
        con.executemany("DELETE FROM letter_agents WHERE letter = ? AND role = 'mentioned'", replaced_mentions)
        con.executemany("DELETE FROM letter_places WHERE letter = ?", replaced_places)
        con.executemany("DELETE FROM links WHERE letter = ?", replaced_links)
        con.executemany("INSERT INTO letter_agents (letter, role, position, agent, as_written, office) "
                        "VALUES (?, ?, ?, ?, ?, ?)", agent_rows)
        con.executemany("INSERT INTO letter_places (letter, position, place, as_written) VALUES (?, ?, ?, ?)",
                        place_rows)
        con.executemany("INSERT INTO links (letter, position, rel, target, label, evidence, confidence) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)", link_rows)

    def _mention_rows(self, num: int, agents: list[Agent]) -> list[tuple[Any, ...]]:
        return [(num, "mentioned", position, self._agent_id(a.kind, a.name, a.ref or ""), a.as_written, a.role)
                for position, a in enumerate(agents)]

    def _nums(self, ids: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start:start + _CHUNK])
            found.update(self.con.execute(f"SELECT id, num FROM letters WHERE id IN ({_marks(chunk)})", chunk))
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
