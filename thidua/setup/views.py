"""The first-run page (only on an empty database), the Bắt đầu page, and the pages that change the
organisation later: its details, its rule options, its names for unit kinds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from thidua.awards.models import Decision
from thidua.core.errors import DomainError
from thidua.core.http import download
from thidua.core.versioning import current_version
from thidua.documents.vnwords import date_line, format_number_symbol
from thidua.eligibility.models import RuleOptions
from thidua.history.import_views import GUIDE
from thidua.history.importing import SLUGS, SPECS, template_choices
from thidua.history.models import AwardRecord, Rating
from thidua.movements.models import Movement
from thidua.org.importers import build_template
from thidua.org.importers.templates import build_spec_template
from thidua.org.kinds import sectors
from thidua.org.models import Organisation, Person
from thidua.org.organisation import current_organisation, is_set_up, letterhead
from thidua.org.permissions import can_change_unit, can_import, visible_units
from thidua.org.view_helpers import actor_of
from thidua.setup import services
from thidua.setup.forms import KindLabelsForm, OrganisationForm, RuleOptionsForm, SetupForm
from thidua.setup.places import provinces

BACKEND = "thidua.org.backends.PersonBackend"


def first_run(request: HttpRequest) -> HttpResponse:
    """Set up the organisation from the browser; exists only while the database holds none."""
    if is_set_up():
        raise Http404("Đã thiết lập tổ chức")
    ruleset = services.current_ruleset()
    form = SetupForm(request.POST or None, ruleset=ruleset)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.setup_organisation(
                actor=None,
                organisation=services.OrganisationSpec(
                    name=data["name"],
                    short_name=data["short_name"],
                    symbol=data["symbol"],
                    place=data["place"],
                    parent_body=data["parent_body"],
                    sector=data["sector"],
                    code=data["code"],
                ),
                admin=services.AdminSpec(
                    username=data["username"],
                    password=data["password1"],
                    full_name=data["full_name"],
                    email=data["email"],
                ),
                choices=services.Choices(
                    rule_options=form.chosen_options(),
                    htxs_cap_enabled=data["htxs_cap_enabled"],
                    htxs_cap_pct=data["htxs_cap_pct"],
                    htxs_cap_pct_excellent_unit=data["htxs_cap_pct_excellent_unit"],
                    quotas=form.quotas(),
                ),
            )
        except services.AlreadySetUp as exc:
            messages.warning(request, exc.message)
            return redirect("accounts:login")
        except DomainError as exc:
            field = exc.field if exc.field in form.fields else None
            if exc.field == "password":
                field = "password1"
            form.add_error(field, exc.message)
        else:
            login(request, result.admin, backend=BACKEND)
            messages.success(request, f"Đã thiết lập {result.organisation.root.name}.")
            return redirect("setup:start")
    context = {
        "form": form,
        "ruleset": ruleset,
        "places": provinces(),
        "sectors": list(sectors().values()),
        "history_templates": [(s.label, s.slug) for s in SPECS.values()],
    }
    return render(request, "setup/first_run.html", context, status=400 if form.errors else 200)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Bắt đầu: what a new organisation does on its first days, each step with where it stands."""
    organisation = current_organisation()
    units = visible_units(request.user)
    context = {
        "organisation": organisation,
        "sector": sectors().get(organisation.sector) if organisation else None,
        "can_import": can_import(request.user),
        "can_set": organisation is not None and can_change_unit(request.user, organisation.root),
        "counts": {
            "units": units.count(),
            "people": Person.objects.filter(current_unit__in=units).count(),
            "ratings": Rating.objects.filter(person__current_unit__in=units).count(),
            "awards": AwardRecord.objects.filter(person__current_unit__in=units).count(),
            "movements": Movement.objects.count(),
            "decisions": Decision.objects.filter(unit__in=units).count(),
        },
        "kinds": list(units.values_list("kind").annotate(n=Count("id")).order_by("-n")[:20]),
    }
    return render(request, "setup/start.html", context)


@login_required
def rule_options(request: HttpRequest) -> HttpResponse:
    """The organisation's rule options, changed later by a writer of its root unit."""
    organisation = current_organisation()
    if organisation is None:
        raise Http404("Chưa thiết lập tổ chức")
    if not can_change_unit(request.user, organisation.root):
        raise PermissionDenied(
            "Chỉ quản trị hệ thống hoặc cán bộ thi đua cấp cao nhất được sửa tùy chọn quy tắc"
        )
    ruleset = services.current_ruleset()
    row = RuleOptions.objects.filter(unit=organisation.root).first()
    current = dict(row.options) if row else {}
    form = RuleOptionsForm(request.POST or None, ruleset=ruleset, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_rule_options(
                actor=actor_of(request), organisation=organisation, chosen=form.chosen_options()
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Đã lưu tùy chọn quy tắc.")
            return redirect("setup:rule_options")
    return render(
        request,
        "setup/rule_options.html",
        {"form": form, "organisation": organisation, "ruleset": ruleset},
        status=400 if form.errors else 200,
    )


def _letterhead_lines(organisation: Organisation) -> list[tuple[str, str]]:
    """What a decision of the organisation prints about its issuer, as it stands: the preview."""
    head = letterhead(organisation.root)
    today = timezone.localdate()
    try:
        number = format_number_symbol(12, "QĐ", head.symbol) if head.symbol else ""
    except ValueError:
        number = ""
    return [
        ("Cơ quan chủ quản", head.parent_body.upper()),
        ("Tên cơ quan ban hành", head.name.upper()),
        ("Số, ký hiệu", f"Số: {number}" if number else ""),
        ("Địa danh, ngày tháng", date_line(head.place, today) if head.place else ""),
    ]


@login_required
def organisation_details(request: HttpRequest) -> HttpResponse:
    """Thông tin tổ chức: the organisation's name, short name, symbol, place and parent body, changed
    later by an administrator or an officer of the top unit (others: 403)."""
    organisation = current_organisation()
    if organisation is None:
        raise Http404("Chưa thiết lập tổ chức")
    if not can_change_unit(request.user, organisation.root):
        raise PermissionDenied(services.ORGANISATION_REFUSED)
    current = services.details_of(organisation)
    initial = {
        "name": current.name,
        "short_name": current.short_name,
        "symbol": current.symbol,
        "place": current.place,
        "parent_body": current.parent_body,
        "version": current_version(organisation),
    }
    form = OrganisationForm(request.POST or None, initial=initial, symbol=current.symbol, place=current.place)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_organisation(
                actor=actor_of(request),
                organisation=organisation,
                details=services.OrganisationDetails(
                    name=data["name"],
                    short_name=data["short_name"],
                    symbol=data["symbol"],
                    place=data["place"],
                    parent_body=data["parent_body"],
                ),
                version=form.seen_version(),
            )
        except DomainError as exc:
            form.add_error(
                exc.field if exc.field in form.fields and exc.field != "version" else None, exc.message
            )
        else:
            messages.success(request, "Đã lưu thông tin tổ chức.")
            return redirect("setup:organisation")
    context = {
        "form": form,
        "organisation": organisation,
        "sector": sectors().get(organisation.sector),
        "letterhead": _letterhead_lines(organisation),
        "places": provinces(),
    }
    return render(request, "setup/organisation.html", context, status=400 if form.errors else 200)


@login_required
def kind_labels(request: HttpRequest) -> HttpResponse:
    """The organisation's own names for the kinds of units of its sector."""
    organisation = current_organisation()
    if organisation is None:
        raise Http404("Chưa thiết lập tổ chức")
    if not can_change_unit(request.user, organisation.root):
        raise PermissionDenied(
            "Chỉ quản trị hệ thống hoặc cán bộ thi đua cấp cao nhất được đổi tên loại đơn vị"
        )
    the_sector = sectors().get(organisation.sector)
    kinds = [(k.code, k.label) for k in the_sector.kinds] if the_sector else []
    current = organisation.kind_labels if isinstance(organisation.kind_labels, dict) else {}
    form = KindLabelsForm(request.POST or None, kinds=kinds, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_kind_labels(
                actor=actor_of(request), organisation=organisation, labels=form.cleaned_data
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Đã lưu tên các loại đơn vị.")
            return redirect("setup:kind_labels")
    return render(
        request,
        "setup/kind_labels.html",
        {"form": form, "organisation": organisation, "sector": the_sector},
        status=400 if form.errors else 200,
    )


def first_run_template(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The empty import files, offered on the first-run page so the files can be prepared meanwhile;
    like that page, only while the database holds no organisation."""
    if is_set_up() or fmt not in {"xlsx", "csv"}:
        raise Http404("Không có mẫu này")
    kind = {"don-vi": "units", "nhan-su": "people"}.get(slug)
    if kind is not None:
        return download(build_template(kind, "xlsx" if fmt == "xlsx" else "csv"), f"mau-nhap-{slug}.{fmt}")
    history = SLUGS.get(slug)
    if history is None:
        raise Http404("Không có mẫu này")
    content = build_spec_template(
        SPECS[history].reading,
        "xlsx" if fmt == "xlsx" else "csv",
        choices=template_choices(history),
        guide_lines=GUIDE,
    )
    return download(content, f"mau-nhap-lich-su-{slug}.{fmt}")
