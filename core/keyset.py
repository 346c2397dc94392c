"""Pagination that never counts the rows: keyset pagination for lists in date order
(the link to the next page carries the last row's sort value and id, so any page costs
one index range scan of its own rows), and, for lists in another order such as search
results by rank, a count capped at a bound and shown as "over 1,000".

Bad tokens in the address are ignored: the first page is shown, never an error."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

NEXT = "efter"  # the page after the row in the token, in the list's order
PREVIOUS = "foer"  # the page before it


@dataclass(frozen=True)
class KeysetPage:
    object_list: list
    previous_token: str | None = None  # None: this is the first page
    next_token: str | None = None  # None: this is the last page
    extra: dict = field(default_factory=dict)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.previous_token or self.next_token)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def _encode(value) -> str:
    if isinstance(value, datetime):
        return str(int(value.timestamp() * 1_000_000))
    if isinstance(value, date):
        return str(value.toordinal())
    return str(int(value))


def _decode(text: str, like):
    number = int(text)
    if isinstance(like, datetime) or like is datetime:
        return datetime.fromtimestamp(number / 1_000_000, tz=UTC)
    if isinstance(like, date) or like is date:
        return date.fromordinal(number)
    return number


def _value(row, name: str):
    return row[name] if isinstance(row, dict) else getattr(row, name)


def _token(row, key: str) -> str:
    pk = row["id"] if isinstance(row, dict) else row.pk
    return f"{_encode(_value(row, key))}_{pk}"


def _parse(token: str | None, kind) -> tuple | None:
    if not token or len(token) > 64:
        return None
    value, _, pk = token.partition("_")
    try:
        parsed = _decode(value, kind), int(pk)
    except (ValueError, OverflowError, OSError, ValidationError):
        return None
    if not (-(2**63) <= parsed[1] < 2**63):
        return None
    return parsed


def keyset_page(
    queryset: QuerySet,
    *,
    key: str,
    kind: type,
    size: int,
    params,
    descending: bool = True,
) -> KeysetPage:
    """One page of `queryset` ordered by `key` (of type `kind`: datetime, date or int;
    never null) and then the primary key, the page given by the token in `params` (a
    QueryDict: NEXT or PREVIOUS), `size` rows at most."""
    after = _parse(params.get(NEXT), kind)
    before = None if after else _parse(params.get(PREVIOUS), kind)
    sign = "-" if descending else ""
    forward = (f"{sign}{key}", f"{sign}pk")
    backward = (f"{'' if descending else '-'}{key}", f"{'' if descending else '-'}pk")
    past, ahead = ("lt", "gt") if descending else ("gt", "lt")

    def beyond(cursor, direction: str) -> Q:
        value, pk = cursor
        return Q(**{f"{key}__{direction}": value}) | Q(**{key: value, f"pk__{direction}": pk})

    if before is not None:
        rows = list(queryset.filter(beyond(before, ahead)).order_by(*backward)[: size + 1])
        if len(rows) > size:  # there are newer ones still: a page in the middle
            rows = rows[:size][::-1]
            return KeysetPage(rows, _token(rows[0], key), _token(rows[-1], key))
        # Back at the start: the first page, in full.
    elif after is not None:
        rows = list(queryset.filter(beyond(after, past)).order_by(*forward)[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        previous = _token(rows[0], key) if rows else None
        return KeysetPage(rows, previous, _token(rows[-1], key) if more else None)
    rows = list(queryset.order_by(*forward)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(rows, None, _token(rows[-1], key) if more else None)


class CappedPaginator(Paginator):
    """A Paginator that counts at most `cap` + 1 rows: `count` is then `cap` and
    `capped` says there are more, for "over 1,000 found"."""

    def __init__(self, object_list, per_page, *, cap: int = 1000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _bounded_count(self) -> int:
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.cap)

    @property
    def capped(self) -> bool:
        return self._bounded_count > self.cap
