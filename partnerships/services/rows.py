"""Writing reference rows idempotently: create or update one row, writing only the
fields whose values differ, and counting what was done for the load's report."""


def row_update(obj, fields: dict, report, kind: str) -> bool:
    """Set and save the fields of `obj` that differ; True if any did."""
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    if not changed:
        report.unchanged[kind] += 1
        return False
    for name in changed:
        setattr(obj, name, fields[name])
    obj.full_clean()
    obj.save(update_fields=changed)
    report.updated[kind] += 1
    return True


def row_save(model, fields: dict, report, kind: str, lookup: dict):
    """Create or update the one row `lookup` finds, writing only when a value differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **fields)
        obj.full_clean()
        obj.save()
        report.created[kind] += 1
        return obj
    row_update(obj, fields, report, kind)
    return obj
