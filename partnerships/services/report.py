"""The report of a load: what it created, updated and left unchanged, by kind, and the
rows it could not save."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class RowError:
    row: int
    name: str
    message: str
    # The CSV column the problem is in, when it is in one.
    column: str = ""

    def __str__(self) -> str:
        where = f"Row {self.row}, column {self.column}" if self.column else f"Row {self.row}"
        return f"{where}: {self.message}" + (f" ('{self.name}')" if self.name else "")


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    skipped: bool = False

    def lines(self) -> list[str]:
        if self.skipped:
            return ["Reference data already loaded from these files; nothing to do."]
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        lines = [
            f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, "
            f"{self.unchanged[kind]} unchanged"
            for kind in kinds
        ]
        lines += [str(error) for error in self.errors]
        return lines

    def merge(self, other: "LoadReport") -> None:
        self.created.update(other.created)
        self.updated.update(other.updated)
        self.unchanged.update(other.unchanged)
        self.errors.extend(other.errors)


Progress = Callable[[str], None]
