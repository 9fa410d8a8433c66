"""One exception root for the project; each subclass says where it is raised."""


class GovwatchError(Exception):
    """Root of every error govwatch raises on purpose."""


class ConfigError(GovwatchError):
    """Raised by core.config when a setting is missing or malformed."""


class BadInputError(GovwatchError):
    """Raised by readers (registry files, pages, feeds) for input they cannot use.

    The message names the file, row and field, so the CLI can print it as is
    and exit 2.
    """

    def __init__(self, message: str, *, source: str = "", row: int | None = None, field: str = ""):
        self.message = message
        self.source = source
        self.row = row
        self.field = field
        where = ", ".join(
            part
            for part in (source, f"row {row}" if row is not None else "", f"field {field!r}" if field else "")
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled with its fields (a parser's error comes back from a parse worker process whole)."""
        return _rebuild, (type(self), self.message, self.source, self.row, self.field)


def _rebuild(cls: type[BadInputError], message: str, source: str, row: int | None, field: str) -> BadInputError:
    return cls(message, source=source, row=row, field=field)


class ParseError(BadInputError):
    """Raised by crawler.pages parsers when a response is not what they expect."""


class AccountMissing(ParseError):
    """Raised by crawler.pages parsers for a platform's "no such account" answer (Weibo ok=0,
    Bilibili -404, WeChat ret=-1, Douyin's not-found page): the account is gone, not the parser broken."""


class StoreError(GovwatchError):
    """Raised by index backends when the store cannot be used."""


class QueryError(BadInputError):
    """Raised by index backends for a search query they cannot run."""
