"""Validation of a merged ruleset document, reporting every problem with its path, and the
construction of the read-only model (``Ruleset``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from thidua.rules import vocab
from thidua.rules.ruleset import (
    GlobalRule,
    Item,
    Node,
    Prize,
    Ruleset,
    RulesetError,
    SalarySchedule,
    SettingSpec,
    VoteThreshold,
    _check_setting_value,
    _date,
)

SCHEMA_VERSION = 1
_GLOBAL_RULE_IDS = (
    "defer_while_pending",
    "discipline_resets_achievements",
    "maternity_counts_as_work",
    "min_service",
    "initiative_single_use",
    "one_achievement_one_reward",
    "registration",
)
# Rules a ruleset may add (dated notices and principles that not every instrument has).
_OPTIONAL_GLOBAL_RULE_IDS = (
    "thematic_not_counted_for_cong_trang",
    "pending_law_change",
    "prize_highest_of_period",
)

# Predicate name -> (required params, optional params). None means the value is a scalar.
_PREDICATES: dict[str, tuple[frozenset[str], frozenset[str]] | None] = {
    "all_of": None,
    "any_of": None,
    "meets": None,
    "manual": None,
    "holds": (frozenset({"title", "count"}), frozenset()),
    "rating_at_least": (frozenset({"level"}), frozenset()),
    "consecutive": (frozenset({"title", "count"}), frozenset({"step", "htxs_path"})),
    "consecutive_rating": (frozenset({"level", "min_years"}), frozenset()),
    "since_award": (frozenset({"award", "min_years", "each_year"}), frozenset({"within"})),
    "rating_years": (frozenset({"level", "min_count"}), frozenset()),
    "initiative": (frozenset({"scope", "count", "within_years"}), frozenset()),
    "science_work": (frozenset({"scope", "count", "within_years"}), frozenset()),
    "member_share": (frozenset({"title", "min_pct"}), frozenset({"op"})),
    "all_members_rating_at_least": (frozenset({"level"}), frozenset()),
    "has_member_with_title": (frozenset({"title", "min_count"}), frozenset()),
    "no_member_disciplined_at_least": (frozenset({"level"}), frozenset()),
    "leads_cluster": (frozenset({"organiser"}), frozenset()),
    "leads_thematic_movement": (frozenset({"launched_by", "min_years"}), frozenset()),
}
_NODE_META = frozenset({"citation", "confidence", "setting", "note"})
# Predicates only meaningful inside since_award.within, and predicates over members (collectives).
_WINDOW_ONLY = frozenset({"holds", "rating_years"})
_MEMBER_PREDICATES = frozenset(
    {"member_share", "all_members_rating_at_least", "has_member_with_title", "no_member_disciplined_at_least"}
)
_COLLECTIVE_ONLY = _MEMBER_PREDICATES | {"leads_cluster", "leads_thematic_movement"}
_TITLE_REFS = frozenset({"meets", "consecutive", "holds", "member_share", "has_member_with_title"})


def _str(raw: Mapping[str, Any], key: str, path: str, problems: list[tuple[str, str]]) -> str:
    v = raw.get(key)
    if not isinstance(v, str) or not v.strip():
        problems.append((f"{path}.{key}" if path else key, f"{v!r} phải là chuỗi không rỗng"))
        return ""
    return v


def _confidence(
    raw: Mapping[str, Any], path: str, problems: list[tuple[str, str]], *, required: bool = True
) -> str:
    v = raw.get("confidence")
    if v is None and not required:
        return ""
    if v not in vocab.CONFIDENCES:
        problems.append((f"{path}.confidence", f"{v!r} phải là một trong {list(vocab.CONFIDENCES)}"))
        return "UNCONFIRMED"
    return str(v)


class _Builder:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.problems: list[tuple[str, str]] = []
        self.settings: dict[str, SettingSpec] = {}
        self.item_ids: set[str] = {
            x["id"] for x in raw.get("items") or [] if isinstance(x, dict) and isinstance(x.get("id"), str)
        }
        self.kinds: dict[str, tuple[str, ...]] = {
            x["id"]: tuple(x.get("subject") or ())
            for x in raw.get("items") or []
            if isinstance(x, dict) and isinstance(x.get("id"), str)
        }

    def err(self, path: str, msg: str) -> None:
        self.problems.append((path, msg))

    def setting_ref(self, value: Any, path: str) -> None:
        if isinstance(value, Mapping) and set(value) == {"setting"} and value["setting"] not in self.settings:
            self.err(path, f"tùy chọn {value['setting']!r} không được khai báo trong settings")

    def build_settings(self) -> None:
        raw = self.raw.get("settings") or {}
        if not isinstance(raw, dict):
            self.err("settings", "phải là một ánh xạ")
            return
        for name, spec in raw.items():
            path = f"settings.{name}"
            if not isinstance(spec, dict) or "default" not in spec:
                self.err(path, "phải có default")
                continue
            choices = spec.get("choices")
            s = SettingSpec(
                id=name,
                default=spec["default"],
                confidence=_confidence(spec, path, self.problems),
                description_vi=_str(spec, "description_vi", path, self.problems),
                choices=tuple(choices) if isinstance(choices, list) else None,
                type=str(spec.get("type", "choice" if choices else "bool")),
                choice_labels=self.choice_labels(spec, choices, path),
                label_vi=str(spec.get("label_vi") or ""),
            )
            msg = _check_setting_value(s, s.default)
            if msg:
                self.err(f"{path}.default", f"{s.default!r} {msg}")
            self.settings[name] = s

    def choice_labels(self, spec: dict[str, Any], choices: Any, path: str) -> tuple[tuple[Any, str], ...]:
        """`choice_labels_vi`: a Vietnamese label for each choice, no more, no less (a person never
        reads a choice's code)."""
        raw = spec.get("choice_labels_vi")
        if not isinstance(choices, list):
            if raw is not None:
                self.err(f"{path}.choice_labels_vi", "chỉ dùng cùng choices")
            return ()
        if not isinstance(raw, dict):
            self.err(f"{path}.choice_labels_vi", "cần nhãn tiếng Việt cho từng lựa chọn trong choices")
            return ()
        labels: list[tuple[Any, str]] = []
        for choice in choices:
            label = raw.get(choice)
            if not isinstance(label, str) or not label.strip():
                self.err(f"{path}.choice_labels_vi", f"thiếu nhãn tiếng Việt cho lựa chọn {choice!r}")
                continue
            labels.append((choice, label.strip()))
        extra = [key for key in raw if key not in choices]
        if extra:
            self.err(f"{path}.choice_labels_vi", f"nhãn cho lựa chọn không có trong choices: {extra}")
        return tuple(labels)

    def node(self, raw: Any, path: str, subject_kind: str, *, in_window: bool = False) -> Node | None:
        if not isinstance(raw, dict):
            self.err(path, f"{raw!r} phải là một vị từ (ánh xạ một khóa)")
            return None
        ops = [k for k in raw if k not in _NODE_META]
        if len(ops) != 1 or ops[0] not in _PREDICATES:
            self.err(path, f"cần đúng một vị từ trong {sorted(_PREDICATES)}, có {ops}")
            return None
        op = ops[0]
        val = raw[op]
        p = f"{path}.{op}"
        conf = raw.get("confidence")
        if conf is not None and conf not in vocab.CONFIDENCES:
            self.err(f"{path}.confidence", f"{conf!r} phải là một trong {list(vocab.CONFIDENCES)}")
        setting = raw.get("setting")
        if setting is not None and setting not in self.settings:
            self.err(f"{path}.setting", f"tùy chọn {setting!r} không được khai báo trong settings")
        citation = raw.get("citation")
        if citation is not None and not isinstance(citation, str):
            self.err(f"{path}.citation", f"{citation!r} phải là chuỗi")
        if op in _WINDOW_ONLY and not in_window:
            self.err(p, "chỉ dùng trong since_award.within")
        if op in _COLLECTIVE_ONLY and subject_kind != "collective":
            self.err(p, f"chỉ áp dụng cho tập thể, không cho {subject_kind}")
        children: list[Node] = []
        within: list[Node] = []
        params: dict[str, Any] = {}
        if op in ("all_of", "any_of"):
            if not isinstance(val, list) or not val:
                self.err(p, "phải là danh sách vị từ không rỗng")
            else:
                for i, c in enumerate(val):
                    n = self.node(c, f"{p}[{i}]", subject_kind, in_window=in_window)
                    if n:
                        children.append(n)
        elif op == "meets":
            if val not in self.item_ids:
                self.err(p, f"{val!r} không phải danh hiệu trong bộ quy tắc")
            params = {"title": val}
        elif op == "manual":
            if not isinstance(val, str) or not val.strip():
                self.err(p, f"{val!r} phải là mô tả (chuỗi)")
            params = {"text": val}
        else:
            spec = _PREDICATES[op]
            assert spec is not None
            required, optional = spec
            if not isinstance(val, dict):
                self.err(p, f"{val!r} phải là ánh xạ tham số")
                return None
            for k in sorted(required - set(val)):
                self.err(f"{p}.{k}", "thiếu tham số bắt buộc")
            for k in sorted(set(val) - required - optional):
                self.err(f"{p}.{k}", "tham số không được hỗ trợ")
            params = dict(val)
            self.check_params(op, params, p)
            if op == "since_award":
                for i, c in enumerate(val.get("within") or []):
                    n = self.node(c, f"{p}.within[{i}]", subject_kind, in_window=True)
                    if n:
                        within.append(n)
        return Node(
            op=op,
            params=params,
            children=tuple(children),
            within=tuple(within),
            citation=citation if isinstance(citation, str) else None,
            confidence=conf if conf in vocab.CONFIDENCES else None,
            setting=setting if isinstance(setting, str) else None,
            path=path,
        )

    def check_params(self, op: str, params: dict[str, Any], p: str) -> None:
        for key in ("level",):
            if key in params and params[key] not in vocab.RATING_RANK:
                if op == "no_member_disciplined_at_least":
                    if params[key] not in vocab.DISCIPLINE_RANK:
                        self.err(f"{p}.level", f"{params[key]!r} không phải hình thức kỷ luật")
                else:
                    self.err(f"{p}.level", f"{params[key]!r} không phải mức xếp loại")
        if op == "since_award":
            if params.get("award") not in self.item_ids:
                self.err(
                    f"{p}.award", f"{params.get('award')!r} không phải hình thức khen thưởng trong bộ quy tắc"
                )
            each = params.get("each_year")
            if not isinstance(each, dict) or each.get("level") not in vocab.RATING_RANK:
                self.err(f"{p}.each_year.level", f"{each!r} phải là {{level: mức xếp loại}}")
        for key in ("title",):
            if key in params and params[key] not in self.item_ids:
                self.err(f"{p}.{key}", f"{params[key]!r} không phải danh hiệu trong bộ quy tắc")
        if "scope" in params and params["scope"] not in vocab.SCOPE_RANK:
            self.err(f"{p}.scope", f"{params['scope']!r} không phải phạm vi ({', '.join(vocab.SCOPES)})")
        if isinstance(params.get("within_years"), Mapping):
            self.setting_ref(params["within_years"], f"{p}.within_years")
            ref = self.settings.get(params["within_years"].get("setting"))
            if ref is not None and ref.type != "int":
                self.err(f"{p}.within_years", "tùy chọn cửa sổ năm phải là số nguyên (0: không giới hạn)")
        for key in ("count", "min_years", "min_count", "within_years"):
            if key in params and not (key == "within_years" and isinstance(params[key], Mapping)):
                v = params[key]
                if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                    self.err(f"{p}.{key}", f"{v!r} phải là số nguyên >= 1")
        if "min_pct" in params:
            self.setting_ref(params["min_pct"], f"{p}.min_pct")
            v = params["min_pct"]
            if not isinstance(v, Mapping) and (not isinstance(v, int) or not 0 <= v <= 100):
                self.err(f"{p}.min_pct", f"{v!r} phải là số nguyên 0..100 hoặc {{setting: tên}}")
        if "step" in params:
            self.setting_ref(params["step"], f"{p}.step")
            v = params["step"]
            if not isinstance(v, Mapping) and (
                not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 10
            ):
                self.err(f"{p}.step", f"{v!r} phải là số nguyên 1..10 hoặc {{setting: tên}}")
        if "htxs_path" in params:
            if params["htxs_path"] is not True:
                self.err(f"{p}.htxs_path", f"{params['htxs_path']!r} phải là true (hoặc bỏ khóa)")
            if params.get("title") != "chien_si_thi_dua_co_so" or "step" in params:
                self.err(f"{p}.htxs_path", "chỉ dùng cho chuỗi Chiến sĩ thi đua cơ sở (không kèm step)")
        if "op" in params:
            self.setting_ref(params["op"], f"{p}.op")
            if not isinstance(params["op"], Mapping) and params["op"] not in (">=", ">"):
                self.err(f"{p}.op", f'{params["op"]!r} phải là ">=" hoặc ">"')
        if op == "leads_cluster" and params.get("organiser") not in vocab.CLUSTER_ORGANISERS:
            self.err(
                f"{p}.organiser",
                f"{params.get('organiser')!r} phải là một trong {list(vocab.CLUSTER_ORGANISERS)}",
            )
        if op == "leads_thematic_movement" and params.get("launched_by") not in vocab.MOVEMENT_LAUNCHERS:
            self.err(
                f"{p}.launched_by",
                f"{params.get('launched_by')!r} phải là một trong {list(vocab.MOVEMENT_LAUNCHERS)}",
            )

    def item(self, raw: Any, i: int) -> Item | None:
        path = f"items[{i}]"
        if not isinstance(raw, dict):
            self.err(path, "phải là một ánh xạ")
            return None
        allowed = {
            "id", "kind", "name_vi", "subject", "authority", "citation", "confidence", "prerequisites",
            "vote_threshold", "prize", "sector", "applies_global", "notes", "setting",
        }  # fmt: skip
        for k in sorted(set(raw) - allowed):
            self.err(f"{path}.{k}", "khóa không được hỗ trợ")
        iid = _str(raw, "id", path, self.problems)
        path = f"items[{i}]({iid})"
        kind = raw.get("kind")
        if kind not in ("title", "form"):
            self.err(f"{path}.kind", f"{kind!r} phải là title hoặc form")
        subjects = raw.get("subject")
        if (
            not isinstance(subjects, list)
            or not subjects
            or any(s not in vocab.SUBJECT_KINDS for s in subjects)
        ):
            self.err(f"{path}.subject", f"{subjects!r} phải là danh sách trong {list(vocab.SUBJECT_KINDS)}")
            subjects = []
        authority = raw.get("authority") or []
        if not isinstance(authority, list) or not all(isinstance(a, str) for a in authority):
            self.err(f"{path}.authority", f"{authority!r} phải là danh sách mã cơ quan")
            authority = []
        prereq_raw = raw.get("prerequisites")
        prereqs: dict[str, Node] = {}
        if prereq_raw is not None:
            if not isinstance(prereq_raw, dict):
                self.err(f"{path}.prerequisites", "phải là ánh xạ theo loại đối tượng")
            else:
                for k, v in prereq_raw.items():
                    if k not in subjects:
                        self.err(f"{path}.prerequisites.{k}", f"loại đối tượng {k!r} không có trong subject")
                        continue
                    if v is None:
                        continue
                    n = self.node(v, f"{path}.prerequisites.{k}", k)
                    if n:
                        prereqs[k] = n
        vt = None
        vt_raw = raw.get("vote_threshold")
        if vt_raw is not None:
            vp = f"{path}.vote_threshold"
            pct = vt_raw.get("pct") if isinstance(vt_raw, dict) else None
            if not isinstance(pct, int) or not 0 < pct <= 100:
                self.err(f"{vp}.pct", f"{pct!r} phải là số nguyên 1..100")
            elif isinstance(vt_raw, dict):
                setting = vt_raw.get("setting")
                if setting is not None and setting not in self.settings:
                    self.err(f"{vp}.setting", f"tùy chọn {setting!r} không được khai báo")
                vt = VoteThreshold(
                    pct,
                    _str(vt_raw, "citation", vp, self.problems),
                    _confidence(vt_raw, vp, self.problems),
                    setting,
                )
        prize = None
        pr = raw.get("prize")
        if pr is not None:
            pp = f"{path}.prize"
            coefs: dict[str, Decimal] = {}
            raw_coefs = pr.get("coefficients") if isinstance(pr, dict) else None
            if not isinstance(raw_coefs, dict):
                self.err(f"{pp}.coefficients", "phải là ánh xạ loại đối tượng -> hệ số")
            else:
                for k, v in raw_coefs.items():
                    if k not in subjects:
                        self.err(f"{pp}.coefficients.{k}", f"loại đối tượng {k!r} không có trong subject")
                    try:
                        d = Decimal(str(v))
                        if not d.is_finite() or d <= 0:
                            raise InvalidOperation
                        coefs[k] = d
                    except InvalidOperation:
                        self.err(
                            f"{pp}.coefficients.{k}", f"{v!r} phải là số thập phân dương (viết dạng chuỗi)"
                        )
            if isinstance(pr, dict):
                prize = Prize(coefs, pr.get("citation"), _confidence(pr, pp, self.problems))
        applies = raw.get("applies_global") or []
        for g in applies:
            if g not in _GLOBAL_RULE_IDS:
                self.err(f"{path}.applies_global", f"{g!r} không phải quy tắc chung")
        return Item(
            id=iid,
            kind=str(kind),
            name_vi=_str(raw, "name_vi", path, self.problems),
            subjects=tuple(subjects),
            authority=tuple(authority),
            citation=_str(raw, "citation", path, self.problems),
            confidence=_confidence(raw, path, self.problems),
            prerequisites=prereqs,
            vote_threshold=vt,
            prize=prize,
            sector=raw.get("sector"),
            setting=self.item_setting(raw.get("setting"), path),
            applies_global=tuple(applies),
            notes=tuple(raw.get("notes") or ()),
        )

    def item_setting(self, value: Any, path: str) -> str | None:
        if value is None:
            return None
        if value not in self.settings:
            self.err(f"{path}.setting", f"tùy chọn {value!r} không được khai báo trong settings")
            return None
        return str(value)

    def global_rules(self) -> dict[str, GlobalRule]:
        raw = self.raw.get("global_rules") or {}
        out = {}
        for gid in (*_GLOBAL_RULE_IDS, *_OPTIONAL_GLOBAL_RULE_IDS):
            g = raw.get(gid)
            path = f"global_rules.{gid}"
            if g is None and gid in _OPTIONAL_GLOBAL_RULE_IDS:
                continue
            if not isinstance(g, dict):
                self.err(path, "thiếu quy tắc chung bắt buộc")
                continue
            setting = g.get("setting")
            if setting is not None and setting not in self.settings:
                self.err(f"{path}.setting", f"tùy chọn {setting!r} không được khai báo")
            params = {
                k: v
                for k, v in g.items()
                if k
                not in {
                    "text_vi",
                    "citation",
                    "confidence",
                    "setting",
                    "note",
                    "effective_from",
                    "effective_to",
                }
            }
            start = _date(g.get("effective_from"), f"{path}.effective_from", self.problems, nullable=True)
            end = _date(g.get("effective_to"), f"{path}.effective_to", self.problems, nullable=True)
            if gid == "pending_law_change":
                notes = params.get("item_notes") or {}
                if not isinstance(notes, dict) or any(k not in self.item_ids for k in notes):
                    self.err(f"{path}.item_notes", "phải là ánh xạ mã danh hiệu/hình thức -> ghi chú")
            if gid == "min_service":
                mm = params.get("min_months")
                if not isinstance(mm, int) or mm < 1:
                    self.err(f"{path}.min_months", f"{mm!r} phải là số nguyên >= 1")
                for r in params.get("counts_as_work") or []:
                    if r not in vocab.LEAVE_REASONS:
                        self.err(f"{path}.counts_as_work", f"{r!r} không phải lý do nghỉ")
            out[gid] = GlobalRule(
                gid,
                _str(g, "text_vi", path, self.problems),
                _str(g, "citation", path, self.problems),
                _confidence(g, path, self.problems),
                setting,
                params,
                start,
                end,
            )
        for gid in sorted(set(raw) - set(_GLOBAL_RULE_IDS) - set(_OPTIONAL_GLOBAL_RULE_IDS)):
            self.err(f"global_rules.{gid}", "quy tắc chung không được hỗ trợ")
        return out


def build_ruleset(raw: dict[str, Any], *, source: str, salary: SalarySchedule) -> Ruleset:
    """Validate a merged ruleset document and build the model; raise ``RulesetError`` listing every problem."""
    b = _Builder(raw)
    if raw.get("schema_version") != SCHEMA_VERSION:
        b.err("schema_version", f"{raw.get('schema_version')!r} phải là {SCHEMA_VERSION}")
    rid = _str(raw, "id", "", b.problems)
    name = _str(raw, "name_vi", "", b.problems)
    start = _date(raw.get("effective_from"), "effective_from", b.problems)
    end = _date(raw.get("effective_to"), "effective_to", b.problems, nullable=True)
    if start and end and end < start:
        b.err("effective_to", f"{end} trước effective_from {start}")
    conf = _confidence(raw, "", b.problems)
    b.build_settings()
    globals_ = b.global_rules()
    items: dict[str, Item] = {}
    raw_items = raw.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        b.err("items", "phải là danh sách danh hiệu, hình thức không rỗng")
        raw_items = []
    for i, r in enumerate(raw_items):
        it = b.item(r, i)
        if it is None:
            continue
        if it.id in items:
            b.err(f"items[{i}].id", f"{it.id!r} bị trùng")
        items[it.id] = it
    for it in items.values():
        for kind, node in it.prerequisites.items():
            for n in _walk(node):
                ref = n.params.get("title") if n.op in _TITLE_REFS else None
                target_kind = "individual" if n.op in ("member_share", "has_member_with_title") else kind
                if ref in items and target_kind not in items[ref].subjects:
                    b.err(n.path, f"{ref!r} không áp dụng cho {target_kind}")
        _check_cycles(it, items, b)
    if b.problems:
        raise RulesetError(source, b.problems)
    assert start is not None
    settings = {k: s.default for k, s in b.settings.items()}
    return Ruleset(
        id=rid,
        name_vi=name,
        effective_from=start,
        effective_to=end,
        confidence=conf,
        basis=tuple(raw.get("basis") or ()),
        settings_spec=b.settings,
        settings=settings,
        global_rules=globals_,
        items=items,
        salary=salary,
        extends=raw.get("extends"),
        rounding_citation=str(raw.get("prize_rounding_citation") or salary.citation),
    )


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for c in (*node.children, *node.within):
        yield from _walk(c)


def _check_cycles(item: Item, items: Mapping[str, Item], b: _Builder) -> None:
    """Titles refer to each other (meets, consecutive, holds, member shares): refuse any cycle."""

    def deps(it: Item) -> set[str]:
        out = set()
        for node in it.prerequisites.values():
            for n in _walk(node):
                if n.op in _TITLE_REFS:
                    out.add(str(n.params.get("title")))
        return out

    stack: list[tuple[str, tuple[str, ...]]] = [(item.id, (item.id,))]
    while stack:
        cur, trail = stack.pop()
        for d in deps(items[cur]) if cur in items else set():
            if d == item.id:
                b.err(f"items({item.id}).prerequisites", f"phụ thuộc vòng: {' -> '.join((*trail, d))}")
                return
            if d not in trail:
                stack.append((d, (*trail, d)))
