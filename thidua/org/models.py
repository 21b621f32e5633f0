"""The organisation: units (a tree with a history), clusters and blocks, people and their positions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import connections, models
from django.db.models import Q
from django.db.models.functions import Concat

from thidua.core.db import compile_sql
from thidua.core.models import TimeStampedModel
from thidua.core.versioning import Versioned
from thidua.lib.ethnic_groups import ethnic_groups, is_minority
from thidua.lib.text import fold, name_columns, name_search_tokens, name_word_pattern, name_words, nfc


def _words_q(field: str, text: str) -> Q:
    """Each word of `text` (folded, punctuation dropped) must start a word of the folded `field`.

    Matching at word starts means typing "anh" finds Anh, not every Thanh and Khánh; a word starts
    after a space or an apostrophe ("hen" finds H'Hen Niê), and a word typed without its apostrophe
    finds it too ("hhen"): `thidua.lib.text.name_word_pattern`. On PostgreSQL the trigram index of
    the column (migration 0002) answers the regular expression (units; people's names have a
    full-text index: `_person_words_q`).
    """
    return _regex_q(field, name_words(text))


class NameSearch(models.Expression):
    """A name search on PostgreSQL: the stored `name_search` column of migration org/0009, which
    holds every prefix of every word of the name as a key, matched against each typed word as one
    exact key (`'thi' & 'huong'`), or as a whole word when `whole` (`'thi.' & 'huong.'`). On the
    table of the query ("U0" inside a subquery). Only tokens of `name_search_tokens` (a-z, 0-9) are
    written into the query, so nothing typed is read as an operator."""

    output_field = models.BooleanField()

    def __init__(self, tokens: list[str], *, whole: bool = False) -> None:
        super().__init__()
        self.tokens = tokens
        self.whole = whole

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        mark = "." if self.whole else ""  # a whole word is also a key with a full stop
        query = " & ".join(f"'{token}{mark}'" for token in self.tokens)
        return f"{table}.name_search @@ %s::tsquery", [query]


def name_tsquery(words: list[str]) -> tuple[list[str], list[str]]:
    """The search tokens of `words` (from `name_words`; "h'hen nie" → ["hhen", "nie"]), and the words
    left for the regular expression (those with a letter beyond a-z, which the tokens do not spell)."""
    terms: dict[str, None] = {}
    rest = []
    for word in words:
        tokens = name_search_tokens(word)
        if tokens is None:
            rest.append(word)
        else:
            terms.update(dict.fromkeys(tokens))
    return list(terms), rest


def _person_words_q(text: str, vendor: str, *, whole: bool = False) -> Q:
    """`_words_q` over people's names (each word a whole word of the name, if `whole`); on
    PostgreSQL answered by the full-text index of migration org/0009 (`EXPLAIN`: person_name_search)."""
    words = name_words(text)
    if vendor != "postgresql":
        return _regex_q("name_folded", words, whole=whole)
    tokens, rest = name_tsquery(words)
    query = Q(NameSearch(tokens, whole=whole)) if tokens else Q()
    return query & _regex_q("name_folded", rest, whole=whole)


def _regex_q(field: str, words: list[str], *, whole: bool = False) -> Q:
    """Each of `words` starts a word of the folded `field` (is one, if `whole`)."""
    query = Q()
    for word in words:
        query &= Q(**{f"{field}__regex": name_word_pattern(word, whole=whole)})
    return query


class UnitQuerySet(models.QuerySet["Unit"]):
    def active_on(self, day: date) -> UnitQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def active(self) -> UnitQuerySet:
        return self.filter(valid_to__isnull=True)

    def search(self, text: str) -> UnitQuerySet:
        """Every word, without diacritics, in the name, code or short name ('ke hoach tai chinh')."""
        return self.filter(_words_q("name_folded", text))

    def in_subtrees(self, paths: list[str]) -> UnitQuerySet:
        if not paths:
            return self.none()
        query = Q()
        for path in paths:
            query |= Q(path__startswith=path)
        return self.filter(query)


class Unit(TimeStampedModel):
    """A node of the organisation tree (cơ quan, đơn vị, phòng, tổ), of any depth.

    `path` is the materialised path of ids ("/1/12/40/") kept by the services, so a subtree is one
    indexed prefix query. A unit that ceased to exist (merged, split, dissolved) keeps its row with
    `valid_to` set; `ReorgEvent`s link it to its successors, so its history stays reachable.
    """

    class Kind:
        """Codes of a few kinds, for the code that names one (the BHXH demo, tests). Which kinds
        exist, their labels and their levels are data: `sectors.yaml`, read by `thidua.org.kinds`."""

        CO_QUAN = "co_quan"
        BAN = "ban"
        SU_NGHIEP = "su_nghiep"
        BHXH_KHU_VUC = "bhxh_khu_vuc"
        BHXH_TINH = "bhxh_tinh"
        BHXH_CO_SO = "bhxh_co_so"
        PHONG = "phong"
        TO = "to"
        KHAC = "khac"

    code = models.CharField("mã đơn vị", max_length=40, unique=True)
    name = models.CharField("tên đơn vị", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=60, blank=True)
    # A code of the organisation's sector (`thidua/org/sectors.yaml`); `get_kind_display()` reads it.
    kind = models.CharField("loại đơn vị", max_length=20, default=Kind.KHAC)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("đường dẫn cây", max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField("cấp", default=0, editable=False)
    is_legal_entity = models.BooleanField("có tư cách pháp nhân", default=False)
    province_code = models.CharField("mã tỉnh", max_length=2, blank=True)
    place_name = models.CharField("địa danh ghi trên văn bản", max_length=100, blank=True)
    symbol = models.CharField("ký hiệu trên văn bản", max_length=30, blank=True)
    valid_from = models.DateField("hoạt động từ", null=True, blank=True)
    valid_to = models.DateField("hoạt động đến", null=True, blank=True)
    name_folded = models.CharField(max_length=255, editable=False, default="", db_index=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def derive_fields(self) -> None:
        """Normalise the name and fill the search column (bulk writes, which skip save(), call this)."""
        self.name = nfc(self.name.strip())
        self.name_folded = fold(f"{self.name} {self.code} {self.short_name}")

    def save(self, *args: object, **kwargs: object) -> None:
        self.derive_fields()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_kind_display(self) -> str:
        """The kind's label in the unit's organisation (its own wording, else its sector's)."""
        from thidua.org.kinds import kind_of

        return kind_of(self).label

    @property
    def is_active(self) -> bool:
        return self.valid_to is None or self.valid_to >= date.today()

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def separate_sub_units(self) -> list[str]:
        """Paths of the topmost sub-units that are collectives of their own, whose people are not
        members of this unit as a collective (docs/rules.md, "Members of a collective"): a sub-unit
        that is a legal entity (`is_legal_entity`: a BHXH cơ sở under a BHXH tỉnh, a school under a
        Sở GDĐT, a province's office under the sector) or whose kind has a level of its own in the
        organisation's sector (`sectors.yaml`: bo_nganh_tinh, tinh, xa). Departments, teams, tổ
        (kinds without a level, not legal entities) belong to the unit above them."""
        from thidua.org.kinds import kinds_for_unit

        levelled = [code for code, k in kinds_for_unit(self).items() if k.level]
        below = (
            Unit.objects.filter(path__startswith=self.path)
            .exclude(pk=self.pk)
            .filter(Q(is_legal_entity=True) | Q(kind__in=levelled))
            .order_by("path")
            .values_list("path", flat=True)
        )
        top: list[str] = []
        for path in below:
            if not any(path.startswith(t) for t in top):
                top.append(path)
        return top


class ReorgEvent(TimeStampedModel):
    """A reorganisation: merge, split, rename, move, creation or dissolution, with its legal ground.

    Lineage is kept by `ReorgLink` rows (predecessor → successor); a rename or a move links the unit
    to itself and records the old and new name / parent in `detail`.
    """

    class Kind(models.TextChoices):
        MERGE = "merge", "Sáp nhập, hợp nhất"
        SPLIT = "split", "Chia tách"
        RENAME = "rename", "Đổi tên"
        MOVE = "move", "Chuyển đơn vị cấp trên"
        DISSOLVE = "dissolve", "Giải thể"

    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    effective_on = models.DateField("có hiệu lực từ")
    decision = models.CharField("căn cứ (số, ký hiệu văn bản)", max_length=120, blank=True)
    note = models.TextField("ghi chú", blank=True)
    detail = models.JSONField("chi tiết", default=dict, blank=True)

    class Meta:
        verbose_name = "sự kiện tổ chức lại"
        verbose_name_plural = "sự kiện tổ chức lại"
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.effective_on:%d/%m/%Y})"


class ReorgLink(models.Model):
    """One edge of lineage: `predecessor` became (part of) `successor` through `event`."""

    event = models.ForeignKey(ReorgEvent, on_delete=models.CASCADE, related_name="links")
    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="predecessor_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "predecessor", "successor"], name="reorg_link_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class Cluster(TimeStampedModel):
    """A cụm or khối thi đua for one year: comparable units ranked against each other."""

    class Kind(models.TextChoices):
        CUM = "cum", "Cụm thi đua"
        KHOI = "khoi", "Khối thi đua"

    class Organiser(models.TextChoices):
        TRUNG_UONG = "trung_uong", "Hội đồng TĐKT Trung ương"
        BO_NGANH_TINH = "bo_nganh_tinh", "Bộ, ngành, tỉnh"
        # A cluster of a sở, a school board, a company: leading it counts for no Cờ thi đua of the
        # bộ, ngành, tỉnh (Luật 06/2022 Đ26 k1 names only clusters organised at that level).
        DON_VI = "don_vi", "Cơ quan, đơn vị"

    kind = models.CharField("loại", max_length=5, choices=Kind.choices, default=Kind.CUM)
    name = models.CharField("tên", max_length=120)
    year = models.PositiveSmallIntegerField("năm")
    organiser = models.CharField(
        "cấp tổ chức", max_length=15, choices=Organiser.choices, default=Organiser.BO_NGANH_TINH
    )
    organiser_unit = models.ForeignKey(
        Unit, verbose_name="đơn vị tổ chức", on_delete=models.PROTECT, related_name="organised_clusters"
    )
    head_unit = models.ForeignKey(
        Unit,
        verbose_name="cụm trưởng / khối trưởng",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_clusters",
    )
    members: models.ManyToManyField[Unit, ClusterMember] = models.ManyToManyField(
        Unit, through="ClusterMember", related_name="clusters", verbose_name="đơn vị thành viên"
    )

    class Meta:
        verbose_name = "cụm, khối thi đua"
        verbose_name_plural = "cụm, khối thi đua"
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organiser_unit", "year", "name"], name="cluster_unique_name_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class ClusterMember(models.Model):
    """A unit's membership of a cluster. Its ranks are the cluster's published rankings (movements)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cluster_memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cluster", "unit"], name="cluster_member_unique")]

    def __str__(self) -> str:
        return f"{self.unit} ∈ {self.cluster}"


PEOPLE_REACH = ("own", "collective", "subtree")
# `PersonQuerySet.in_subtree`: up to this many units, a subtree is named by its units' ids.
SUBTREE_IDS = 200


class PersonQuerySet(models.QuerySet["Person"]):
    def search(self, text: str) -> PersonQuerySet:
        """Diacritic- and case-insensitive search on name or citizen id ('nguyen van an' finds 'Nguyễn Văn An').

        Words are matched from their start, so a search typed letter by letter narrows as expected.
        """
        needle = fold(text)
        if not needle:
            return self
        if needle.isdigit():
            return self.filter(citizen_id__startswith=needle)
        return self.filter(self._names_q(needle))

    def search_names(self, text: str) -> PersonQuerySet:
        """Like `search`, names only: digits find nobody (who may not see citizen ids must not probe them)."""
        needle = fold(text)
        if not needle:
            return self
        if needle.replace(" ", "").isdigit():
            return self.none()
        return self.filter(self._names_q(needle))

    def _names_q(self, needle: str) -> Q:
        return _person_words_q(needle, connections[self.db].vendor)

    def _relevance(self, text: str) -> models.Case:
        """How well a name matches a search, best first: 0 the name is the text typed; 1 the name
        starts with it; 2 every word typed is a whole word of the name; 3 the other matches."""
        needle = fold(text)
        whole = _person_words_q(needle, connections[self.db].vendor, whole=True)
        return models.Case(
            models.When(name_folded=needle, then=0),
            models.When(name_folded__startswith=needle, then=1),
            models.When(whole, then=2),
            default=3,
            output_field=models.IntegerField(),
        )

    def ranked_page(self, text: str, limit: int, offset: int, count: int) -> tuple[list[int], int] | None:
        """A page of the matches of a name search, best first (`_relevance`), each group in Vietnamese
        order: the ids of the `count` matches from `offset`, and how many match. None when more than
        `limit` match (or no word is typed): ranking them all would cost more than it gives.

        One query over at most `limit + 1` matches; PostgreSQL counts and ranks them and returns the
        page's ids alone (not an id and a sort key of every match: half the Python time of a search
        with 2,000 matches); elsewhere Python sorts them."""
        if not name_words(text):
            return None
        ranked = self.annotate(relevance=self._relevance(text)).order_by()
        read = ranked.values_list("pk", "relevance", "sort_key")[: limit + 1]
        if connections[read.db].vendor == "postgresql":
            compiled = compile_sql(read)
            if compiled is None:  # a scope that holds nobody (a user with no grant in force)
                return [], 0
            sql, params = compiled
            with connections[read.db].cursor() as cursor:
                cursor.execute(
                    f"WITH m AS MATERIALIZED ({sql}), n AS (SELECT count(*) AS total FROM m) "
                    "SELECT n.total, ARRAY(SELECT m.pk FROM m WHERE n.total <= %s "
                    "ORDER BY m.relevance, m.sort_key, m.pk OFFSET %s LIMIT %s) FROM n",
                    [*params, limit, offset, count],
                )
                total, ids = cursor.fetchone()
            return None if total > limit else (list(ids), total)
        rows = list(read)
        if len(rows) > limit:
            return None
        rows.sort(key=lambda row: (row[1], row[2], row[0]))  # sort keys are digits: any collation agrees
        return [row[0] for row in rows[offset : offset + count]], len(rows)

    def in_subtree(self, unit: Unit) -> PersonQuerySet:
        """People whose current unit is `unit` or a unit under it.

        A subtree of a few units (a department, a district, most provinces) is named by its units' ids,
        so that PostgreSQL estimates its people from each unit's statistics and reads them from the
        (unit, name) index: a department's first page in a few milliseconds, where following the
        name index of the whole table until enough of its people turn up read 54,000 rows (140 ms) at
        1,000,000 people. A larger subtree (the whole organisation) is named by its path: its people
        are everywhere in the name index, and reading it in order finds a page at once."""
        ids = list(
            Unit.objects.filter(path__startswith=unit.path).values_list("pk", flat=True)[: SUBTREE_IDS + 1]
        )
        if len(ids) <= SUBTREE_IDS:
            return self.filter(current_unit_id__in=ids)
        return self.filter(current_unit__path__startswith=unit.path)

    def in_service(self, day: date | None = None) -> PersonQuerySet:
        """People whose service has not ended on `day` (today by default)."""
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=day or date.today()))

    def vietnamese_order(self, *, from_index: bool = True) -> PersonQuerySet:
        """Sorted by `sort_key`. `from_index=False` keeps PostgreSQL from reading the sort-key index
        in order and filtering as it goes: for a search with a few thousand matches, which the
        planner takes to be spread evenly while a given name puts them all in one stretch of the
        index ("thi huong": every Hương, after 360,000 rows), finding the matches and sorting them
        costs milliseconds where the ordered read costs seconds."""
        if from_index:
            return self.order_by("sort_key", "id")
        return self.order_by(Concat("sort_key", models.Value("")), "id")

    def of_unit(self, unit: Unit, year: int, *, reach: str = "own") -> PersonQuerySet:
        """THE people of a unit in a year (one query, used by ratings, the collective rules and the
        year-end): everyone who held a position at some time in `year` (1/1 to 31/12), rated or not
        (a recruitment date after the year is the caller's to judge). `reach` says which units count:

        - "own": the unit itself (the ratings grid of a unit);
        - "collective": the unit and its sub-units down to, not into, the sub-units that are
          collectives of their own (`Unit.separate_sub_units`): the members of the unit as a
          tập thể (TTLĐTT, TTLĐXS, Cờ thi đua; Luật 06/2022 Đ26-Đ28);
        - "subtree": the unit and every unit under it (the year-end of a whole organisation).

        A person who moved within the year counts in every unit they held a post in that year."""
        if reach not in PEOPLE_REACH:
            raise ValueError(f"reach: {reach!r} is not one of {PEOPLE_REACH}")
        positions = Position.objects.held_during(year)
        if reach == "own":
            positions = positions.filter(unit=unit)
        else:
            positions = positions.filter(unit__path__startswith=unit.path)
            if reach == "collective":
                for path in unit.separate_sub_units():
                    positions = positions.exclude(unit__path__startswith=path)
        return self.filter(pk__in=positions.values("person_id"))


class LeaveReason(models.TextChoices):
    """Why a person's service ended (the record stays, with its history)."""

    NGHI_HUU = "nghi_huu", "Nghỉ hưu"
    THOI_VIEC = "thoi_viec", "Thôi việc"
    CHUYEN_CONG_TAC = "chuyen_cong_tac", "Chuyển công tác ra ngoài tổ chức"
    TU_TRAN = "tu_tran", "Từ trần"
    KHAC = "khac", "Lý do khác"


class Person(TimeStampedModel):
    """A staff member (cán bộ, công chức, viên chức, người lao động), identified by citizen id.

    The person's record follows them through transfers: positions are history rows, and
    `current_unit` is a denormalised copy of the open position's unit, kept by the services.
    """

    class Gender(models.TextChoices):
        NAM = "nam", "Nam"
        NU = "nu", "Nữ"

    citizen_id = models.CharField("số CCCD", max_length=12, unique=True)
    full_name = models.CharField("họ và tên", max_length=120)
    gender = models.CharField("giới tính", max_length=3, choices=Gender.choices)
    date_of_birth = models.DateField("ngày sinh", null=True, blank=True)
    recruited_on = models.DateField("ngày tuyển dụng", null=True, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    current_unit = models.ForeignKey(
        Unit,
        verbose_name="đơn vị hiện tại",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        db_index=False,  # person_unit_sort_idx (current_unit, sort_key) answers it: one index less to fill
    )
    current_title = models.CharField("chức vụ hiện tại", max_length=120, blank=True)
    left_on = models.DateField("thôi công tác từ", null=True, blank=True)
    # db_default: the demo's bulk writer inserts rows with an explicit column list.
    leave_reason = models.CharField(
        "lý do thôi công tác", max_length=20, choices=LeaveReason.choices, blank=True, db_default=""
    )
    # Statistics councils watch (shares of awards to direct workers, women, ethnic minorities).
    # db_default: the demo's raw COPY writes Person rows without these columns.
    is_direct_worker = models.BooleanField(
        "người lao động trực tiếp",
        default=False,
        db_default=False,
        help_text="Người trực tiếp làm công việc chuyên môn, nghiệp vụ, không giữ chức vụ lãnh đạo, quản lý",
    )
    ethnicity = models.CharField(
        "dân tộc", max_length=2, choices=ethnic_groups(), blank=True, default="", db_default=""
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="tài khoản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    # Indexed in Meta, each once: `db_index` would add a second copy of each on PostgreSQL.
    name_folded = models.CharField(max_length=255, editable=False, default="")
    sort_key = models.CharField(max_length=255, editable=False, default="")

    objects = PersonQuerySet.as_manager()
    # The order `thidua maintain` lays the rows out in on disk (PostgreSQL's CLUSTER): Vietnamese
    # order, so that the people a name search finds (all the Hương, say) share a few pages instead
    # of one page each, and the lists read in that order read neighbouring pages (docs/scale.md).
    physical_order = "person_sort_idx"

    class Meta:
        verbose_name = "nhân sự"
        verbose_name_plural = "nhân sự"
        ordering = ["sort_key", "id"]
        # Only the indexes some query reads (docs/scale.md, import of people): every index costs each
        # row written, 100,000 at a time in an import. The full-text index `person_name_search`
        # (migration 0009) answers the word search; `person_name_prefix_idx` the prefix search (LIKE
        # 'x%' on PostgreSQL, a range on SQLite, where the operator class is ignored); `person_sort_idx`
        # the lists in Vietnamese order; `person_unit_sort_idx` a unit's people, in that order.
        indexes = [
            models.Index(fields=["current_unit", "sort_key"], name="person_unit_sort_idx"),
            models.Index(fields=["sort_key"], name="person_sort_idx"),
            models.Index(
                fields=["name_folded"], name="person_name_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def derive_fields(self) -> None:
        """Normalise the name and fill the search and sort columns (bulk writes, which skip save(), call this)."""
        self.full_name, self.name_folded, self.sort_key = name_columns(self.full_name)

    def save(self, *args: object, **kwargs: object) -> None:
        self.derive_fields()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_ethnic_minority(self) -> bool | None:
        """True for an ethnic minority, False for Kinh, None when the ethnicity is not recorded."""
        return is_minority(self.ethnicity)

    @property
    def given_name(self) -> str:
        return self.full_name.rsplit(" ", 1)[-1]

    @property
    def in_service(self) -> bool:
        return self.left_on is None or self.left_on > date.today()


class PositionQuerySet(models.QuerySet["Position"]):
    def held_during(self, year: int) -> PositionQuerySet:
        """Positions held at some time in `year` (1/1 to 31/12): the one test of "in the unit that
        year" behind `Person.objects.of_unit` and the year-end's per-unit counts."""
        start, end = date(year, 1, 1), date(year, 12, 31)
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start), started_on__lte=end)


class Position(TimeStampedModel):
    """A period in which a person held a post in a unit. `ended_on` null = current position."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="positions")
    title = models.CharField("chức vụ", max_length=120, blank=True)
    started_on = models.DateField("từ ngày")
    ended_on = models.DateField("đến ngày", null=True, blank=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = "quá trình công tác"
        verbose_name_plural = "quá trình công tác"
        ordering = ["person", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="position_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.title} ({self.unit})"


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị hệ thống"
    OFFICER = "officer", "Cán bộ thi đua, khen thưởng"
    UNIT_HEAD = "unit_head", "Thủ trưởng đơn vị"
    COUNCIL_MEMBER = "council_member", "Thành viên Hội đồng TĐKT"
    STAFF = "staff", "Cán bộ, nhân viên"


class MembershipQuerySet(models.QuerySet["Membership"]):
    def in_force(self, day: date | None = None) -> MembershipQuerySet:
        """Grants in force on `day` (today by default): started (or no start) and not yet ended."""
        day = day or date.today()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Membership(TimeStampedModel):
    """`user` holds `role` on `unit` and its whole subtree from `valid_from` to `valid_to` (inclusive;
    empty = open). The access helpers read the grants in force today. A revoked grant keeps its row
    with `valid_to` set, so "who held what when" stays answerable."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="tài khoản",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name="đơn vị"
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    note = models.CharField("ghi chú (căn cứ phân công)", max_length=255, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="membership_valid_period",
            ),
        ]
        indexes = [models.Index(fields=["unit", "role"], name="membership_unit_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"

    def in_force_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )


class Organisation(TimeStampedModel, Versioned):
    """The organisation an installation serves: the root unit of its tree and what the tree lacks.

    The name, short name, symbol (ký hiệu on its documents) and place (địa danh before dates) are
    the root unit's own fields; here are the sector its units' kinds come from (`sectors.yaml`),
    the body it answers to (cơ quan chủ quản, printed above its name on documents) and its own
    labels for unit kinds ({code: label}). `thidua.org.organisation` reads all of it for the pages
    and the documents; `thidua setup` creates it; the Thông tin tổ chức page changes it later
    (`setup.services.update_organisation`), `version` guarding against edits from a stale copy.
    """

    root = models.OneToOneField(
        Unit, on_delete=models.PROTECT, related_name="organisation", verbose_name="đơn vị gốc"
    )
    sector = models.CharField("lĩnh vực", max_length=20)
    parent_body = models.CharField("cơ quan chủ quản", max_length=255, blank=True)
    kind_labels = models.JSONField("tên riêng của các loại đơn vị", default=dict, blank=True)

    class Meta:
        verbose_name = "tổ chức"
        verbose_name_plural = "tổ chức"

    def __str__(self) -> str:
        return str(self.root)

    def save(self, *args: object, **kwargs: object) -> None:
        from thidua.org.kinds import clear_cache

        super().save(*args, **kwargs)  # type: ignore[arg-type]
        clear_cache()

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        from thidua.org.kinds import clear_cache

        result = super().delete(*args, **kwargs)  # type: ignore[arg-type]
        clear_cache()
        return result
