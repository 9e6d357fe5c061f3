"""The fields every GB/T 9704 document template reads from its context: the
issuing body's mark and signature, the document number, the date, and the
colophon (印发机关 and 印发日期)."""


def official_fields(issuer: str, *, doc_number: str, signed_on: str, **fields) -> dict:
    """The standard fields for a document issued by `issuer` (a unit's name;
    empty for none) on `signed_on` (already written out, e.g. 2026年12月6日).
    `fields` adds to them or overrides them."""
    return {
        "issuer_mark": issuer,
        "doc_number": doc_number,
        "addressee": "",
        "signature": issuer,
        "signed_on": signed_on,
        "attachments": [],
        "copies_to": [],
        "printed_by": f"{issuer}办公室" if issuer else "",
        "printed_on": signed_on,
        **fields,
    }


def official_case_fields(case, *, signed_on: str, doc_number: str = "", **fields) -> dict:
    """The standard fields of a document the case's unit issues, with the
    case and the unit. `doc_number` is the document's own number from the
    unit's register (documents.register), never the case number. The unit's
    seal image, when it has one, goes over the signature and date."""
    from documents.seals import seal_data_uri

    unit = case.unit
    return {
        "case": case,
        "unit": unit,
        # Internal working papers are signed, not sealed.
        "seal_image": "" if fields.get("internal") else seal_data_uri(unit),
        **official_fields(unit.name, doc_number=doc_number, signed_on=signed_on, **fields),
    }
