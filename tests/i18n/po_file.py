"""A small reader of gettext .po files (the parts makemessages writes), so the catalogue's
tests need neither polib nor the gettext tools."""

import ast
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # plural index (0 alone) -> text
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> str:
        """The entry's key in a compiled catalogue: context EOT msgid."""
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def read(path: Path) -> list[Entry]:
    """The entries of a .po file, the header (msgid "") included."""
    entries: list[Entry] = []
    entry: Entry | None = None
    flags: set[str] = set()
    current: tuple[str, int] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        elif not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            _append(entry, current, ast.literal_eval(line))
            continue
        text = ast.literal_eval(rest)
        if keyword in ("msgctxt", "msgid") and (
            entry is None
            or keyword == "msgctxt"
            or entry.msgid is not None
            and current
            and current[0] != "msgctxt"
        ):
            entry = Entry(msgid=None)  # type: ignore[arg-type]
            entry.flags, flags = flags, set()
            entry.obsolete = obsolete
            entries.append(entry)
        if keyword == "msgctxt":
            entry.msgctxt, current = text, ("msgctxt", 0)
        elif keyword == "msgid":
            entry.msgid, current = text, ("msgid", 0)
        elif keyword == "msgid_plural":
            entry.msgid_plural, current = text, ("msgid_plural", 0)
        elif keyword == "msgstr":
            entry.msgstr[0], current = text, ("msgstr", 0)
        elif keyword.startswith("msgstr["):
            index = int(keyword[7:-1])
            entry.msgstr[index], current = text, ("msgstr", index)
    return [entry for entry in entries if not entry.obsolete]


def _append(entry: Entry, current: tuple[str, int], text: str) -> None:
    name, index = current
    if name == "msgstr":
        entry.msgstr[index] += text
    else:
        setattr(entry, name, getattr(entry, name) + text)
