"""Document builders: gather a context (pure data) and hand it to a renderer.

`decision`, `achievement`, `certificates` and `lists` import no Django: they take plain
dataclasses and return an `OfficialDocument`, certificate records or `XlsxSheet`s, and are
tested alone. `from_db` reads the database (AwardRecords, people, units, the audit log) into
those dataclasses, always through the access helpers.
"""
