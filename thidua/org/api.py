"""API resources of the organisation: units, people, accounts, roles, clusters.

Reading goes through the same access helpers and filters as the pages; every write (POST, PATCH and
the actions) goes through `thidua.org.services`, which check the permission. Errors are the API's
shape (`thidua.api.errors`): a refused change is 400 with the field it names, a change outside the
caller's subtree 403. Personal data: a list shows citizen ids masked and no birth date; one person's
record shows them in full to who manages the person, and that is logged. Responses about people and
accounts are `Cache-Control: no-store`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from thidua.accounts.models import User
from thidua.org import services
from thidua.org.filters import PersonFilter, UnitFilter
from thidua.org.kinds import catalogue
from thidua.org.models import Cluster, LeaveReason, Membership, Person, Position, Role, Unit
from thidua.org.permissions import (
    can_change_unit,
    get_cluster_for_user,
    get_person_for_user,
    get_unit_for_user,
    manageable_people,
    manageable_units,
    visible_clusters,
    visible_people,
    visible_units,
)
from thidua.org.privacy import (
    can_see_personal_data,
    log_personal_data,
    manages_people_somewhere,
    mask_citizen_id,
)
from thidua.org.view_helpers import actor_of


class NoStoreMixin:
    """Responses about people and accounts are never kept by a browser or a proxy."""

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        patch_cache_control(response, no_store=True, private=True)
        return response


def _units_field(request: Request | None, *, manage: bool, many: bool = False, required: bool = True) -> Any:
    """A unit id within the caller's scope (managed, or seen); another id is refused like an unknown one."""
    user = request.user if request is not None else None
    queryset = (manageable_units(user) if manage else visible_units(user)) if user else Unit.objects.none()
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset, many=many, required=required, allow_null=not required
    )


# --- Units ---------------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer[Unit]):
    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "depth",
            "is_legal_entity",
            "province_code",
            "place_name",
            "symbol",
            "valid_from",
            "valid_to",
        ]
        read_only_fields = ["depth", "valid_to"]


class UnitCreateSerializer(serializers.ModelSerializer[Unit]):
    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "is_legal_entity",
            "province_code",
            "place_name",
            "symbol",
            "valid_from",
        ]
        extra_kwargs: dict[str, Any] = {"code": {"validators": []}}

    def get_fields(self) -> Any:
        fields = super().get_fields()
        fields["parent"] = _units_field(self.context.get("request"), manage=True, required=False)
        return fields

    def validate_kind(self, value: str) -> str:
        return _known_kind(value)


def _known_kind(value: str) -> str:
    if value not in catalogue():
        raise serializers.ValidationError(f"Không có loại đơn vị '{value}'")
    return value


class UnitUpdateSerializer(serializers.ModelSerializer[Unit]):
    version = serializers.CharField(
        required=False, help_text="`updated_at` of the copy edited (optimistic locking)"
    )

    class Meta:
        model = Unit
        fields = ["code", *services.units.EDITABLE_FIELDS, "version"]
        extra_kwargs: dict[str, Any] = {"code": {"validators": []}}

    def validate_kind(self, value: str) -> str:
        return _known_kind(value)


class EventSerializer(serializers.Serializer[Any]):
    effective_on = serializers.DateField()
    decision = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class RenameSerializer(EventSerializer):
    new_name = serializers.CharField(max_length=255)


class MoveSerializer(EventSerializer):
    def get_fields(self) -> Any:
        fields = super().get_fields()
        fields["new_parent"] = _units_field(self.context.get("request"), manage=True, required=False)
        return fields


class MergeSerializer(EventSerializer):
    def get_fields(self) -> Any:
        fields = super().get_fields()
        request = self.context.get("request")
        fields["into"] = _units_field(request, manage=True)
        fields["others"] = _units_field(request, manage=True, many=True, required=False)
        return fields


class SplitPartSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=255)


class SplitSerializer(EventSerializer):
    parts = SplitPartSerializer(many=True)


class ReorgEventOut(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    effective_on = serializers.DateField()
    decision = serializers.CharField()


class UnitViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet[Unit]):
    """Units the caller may see. POST creates one under a parent the caller manages; PATCH edits plain
    fields; the actions rename, move, merge, split and dissolve are reorganisations with lineage."""

    filterset_class = UnitFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self) -> Any:
        return {"create": UnitCreateSerializer, "partial_update": UnitUpdateSerializer}.get(
            self.action, UnitSerializer
        )

    def get_queryset(self) -> Any:
        return visible_units(self.request.user).order_by("path")

    @extend_schema(request=UnitCreateSerializer, responses={201: UnitSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self._valid(UnitCreateSerializer, request)
        fields = {k: v for k, v in data.items() if k not in ("code", "name", "parent")}
        unit = services.create_unit(
            actor=actor_of(request), code=data["code"], name=data["name"], parent=data.get("parent"), **fields
        )
        return Response(UnitSerializer(unit).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UnitUpdateSerializer, responses=UnitSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        unit = get_unit_for_user(request.user, int(kwargs["pk"]), write=True)
        data = self._valid(UnitUpdateSerializer, request, partial=True)
        version = data.pop("version", None)
        unit = services.update_unit(actor=actor_of(request), unit=unit, version=version, **data)
        return Response(UnitSerializer(unit).data)

    def _valid(self, serializer_class: Any, request: Request, **kwargs: Any) -> dict[str, Any]:
        serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _unit(self, request: Request) -> Unit:
        return get_unit_for_user(request.user, int(self.kwargs["pk"]), write=True)

    def _event(self, event: Any) -> Response:
        return Response(ReorgEventOut(event).data)

    @extend_schema(request=RenameSerializer, responses=ReorgEventOut)
    @action(detail=True, methods=["post"])
    def rename(self, request: Request, pk: str) -> Response:
        unit, d = self._unit(request), self._valid(RenameSerializer, request)
        return self._event(
            services.rename_unit(
                actor=actor_of(request),
                unit=unit,
                new_name=d["new_name"],
                effective_on=d["effective_on"],
                decision=d["decision"],
            )
        )

    @extend_schema(request=MoveSerializer, responses=ReorgEventOut)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str) -> Response:
        unit, d = self._unit(request), self._valid(MoveSerializer, request)
        return self._event(
            services.move_unit(
                actor=actor_of(request),
                unit=unit,
                new_parent=d.get("new_parent"),
                effective_on=d["effective_on"],
                decision=d["decision"],
            )
        )

    @extend_schema(request=MergeSerializer, responses=ReorgEventOut)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        """Merge this unit (and `others`) into `into`."""
        unit, d = self._unit(request), self._valid(MergeSerializer, request)
        return self._event(
            services.merge_units(
                actor=actor_of(request),
                units=[unit, *d.get("others", [])],
                into=d["into"],
                effective_on=d["effective_on"],
                decision=d["decision"],
            )
        )

    @extend_schema(request=SplitSerializer, responses=ReorgEventOut)
    @action(detail=True, methods=["post"])
    def split(self, request: Request, pk: str) -> Response:
        unit, d = self._unit(request), self._valid(SplitSerializer, request)
        parts = [services.SplitPart(code=p["code"], name=p["name"], kind=unit.kind) for p in d["parts"]]
        event, _ = services.split_unit(
            actor=actor_of(request),
            unit=unit,
            parts=parts,
            effective_on=d["effective_on"],
            decision=d["decision"],
        )
        return self._event(event)

    @extend_schema(request=EventSerializer, responses=ReorgEventOut)
    @action(detail=True, methods=["post"])
    def dissolve(self, request: Request, pk: str) -> Response:
        unit, d = self._unit(request), self._valid(EventSerializer, request)
        return self._event(
            services.dissolve_unit(
                actor=actor_of(request), unit=unit, effective_on=d["effective_on"], decision=d["decision"]
            )
        )


# --- People --------------------------------------------------------------------------------------


class PositionSerializer(serializers.ModelSerializer[Position]):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Position
        fields = ["unit", "unit_name", "title", "started_on", "ended_on"]


class PersonSerializer(serializers.ModelSerializer[Person]):
    """A person in a list: the citizen id masked and no birth date, whoever asks."""

    current_unit_name = serializers.CharField(source="current_unit.name", read_only=True, default=None)
    citizen_id = serializers.SerializerMethodField()
    date_of_birth = serializers.SerializerMethodField()
    ethnicity = serializers.SerializerMethodField()  # sensitive personal data (Luật BVDLCN 2025)

    class Meta:
        model = Person
        fields = [
            "id",
            "citizen_id",
            "full_name",
            "gender",
            "date_of_birth",
            "recruited_on",
            "current_unit",
            "current_unit_name",
            "current_title",
            "left_on",
            "is_direct_worker",
            "ethnicity",
        ]

    def full(self, person: Person) -> bool:
        return bool(self.context.get("full_personal_data"))

    def get_citizen_id(self, person: Person) -> str:
        return person.citizen_id if self.full(person) else mask_citizen_id(person.citizen_id)

    def get_date_of_birth(self, person: Person) -> date | None:
        return person.date_of_birth if self.full(person) else None

    def get_ethnicity(self, person: Person) -> str | None:
        return person.ethnicity if self.full(person) else None


class PersonDetailSerializer(PersonSerializer):
    """One person: in full (with phone and e-mail) for who manages them, masked for everyone else."""

    positions = PositionSerializer(many=True, read_only=True)
    phone = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "phone", "email", "positions"]

    def get_phone(self, person: Person) -> str | None:
        return person.phone if self.full(person) else None

    def get_email(self, person: Person) -> str | None:
        return person.email if self.full(person) else None


class PersonCreateSerializer(serializers.ModelSerializer[Person]):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.none())  # the caller's units: get_fields
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    started_on = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = Person
        fields = [*services.people.EDITABLE_FIELDS, "unit", "title", "started_on"]
        extra_kwargs: dict[str, Any] = {"citizen_id": {"validators": []}}

    def get_fields(self) -> Any:
        fields = super().get_fields()
        fields["unit"] = _units_field(self.context.get("request"), manage=True)
        return fields


class PersonUpdateSerializer(serializers.ModelSerializer[Person]):
    version = serializers.CharField(required=False)

    class Meta:
        model = Person
        fields = [*services.people.EDITABLE_FIELDS, "version"]
        extra_kwargs: dict[str, Any] = {"citizen_id": {"validators": []}}


class TransferSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    decision = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")

    def get_fields(self) -> Any:
        fields = super().get_fields()
        fields["unit"] = _units_field(self.context.get("request"), manage=True)
        return fields


class EndServiceSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    reason = serializers.ChoiceField(choices=LeaveReason.choices)
    decision = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class AddPositionSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    started_on = serializers.DateField()
    ended_on = serializers.DateField()

    def get_fields(self) -> Any:
        fields = super().get_fields()
        fields["unit"] = _units_field(self.context.get("request"), manage=False)
        return fields


class PersonViewSet(NoStoreMixin, viewsets.ReadOnlyModelViewSet[Person]):
    """People the caller may see; `?q=` searches names without diacritics (citizen ids: only among the
    people the caller manages). POST adds a person, PATCH edits one; transfer, end_service and
    positions are their own actions."""

    filterset_class = PersonFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self) -> Any:
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer

    def get_queryset(self) -> Any:
        qs = visible_people(self.request.user).select_related("current_unit").vietnamese_order()
        if self.action == "retrieve":
            qs = qs.prefetch_related("positions__unit")
        return qs

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        full = can_see_personal_data(request.user, person)
        if full and getattr(getattr(request.user, "person", None), "pk", None) != person.pk:
            log_personal_data(request.user, [person], where="API /people/")
        return Response(PersonDetailSerializer(person, context={"full_personal_data": full}).data)

    def _valid(self, serializer_class: Any, request: Request, **kwargs: Any) -> dict[str, Any]:
        serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _detail(self, person: Person) -> Response:
        person = (
            Person.objects.select_related("current_unit")
            .prefetch_related("positions__unit")
            .get(pk=person.pk)
        )
        return Response(PersonDetailSerializer(person, context={"full_personal_data": True}).data)

    @extend_schema(request=PersonCreateSerializer, responses={201: PersonDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        d = self._valid(PersonCreateSerializer, request)
        fields = {k: d[k] for k in ("date_of_birth", "recruited_on", "email", "phone") if k in d}
        person = services.create_person(
            actor=actor_of(request),
            citizen_id=d["citizen_id"],
            full_name=d["full_name"],
            gender=d["gender"],
            unit=d["unit"],
            title=d.get("title", ""),
            started_on=d.get("started_on"),
            **fields,
        )
        response = self._detail(person)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=PersonUpdateSerializer, responses=PersonDetailSerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = get_person_for_user(request.user, int(kwargs["pk"]), write=True)
        d = self._valid(PersonUpdateSerializer, request, partial=True)
        version = d.pop("version", None)
        return self._detail(
            services.update_person(actor=actor_of(request), person=person, version=version, **d)
        )

    def _person(self, request: Request) -> Person:
        return get_person_for_user(request.user, int(self.kwargs["pk"]), write=True)

    @extend_schema(request=TransferSerializer, responses=PersonDetailSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str) -> Response:
        person, d = self._person(request), self._valid(TransferSerializer, request)
        services.transfer_person(
            actor=actor_of(request),
            person=person,
            unit=d["unit"],
            on=d["on"],
            title=d["title"],
            decision=d["decision"],
        )
        return self._detail(person)

    @extend_schema(request=EndServiceSerializer, responses=PersonDetailSerializer)
    @action(detail=True, methods=["post"])
    def end_service(self, request: Request, pk: str) -> Response:
        person, d = self._person(request), self._valid(EndServiceSerializer, request)
        services.end_service(
            actor=actor_of(request), person=person, on=d["on"], reason=d["reason"], decision=d["decision"]
        )
        return self._detail(person)

    @extend_schema(request=AddPositionSerializer, responses=PersonDetailSerializer)
    @action(detail=True, methods=["post"])
    def positions(self, request: Request, pk: str) -> Response:
        """Record a past position."""
        person, d = self._person(request), self._valid(AddPositionSerializer, request)
        services.add_position(
            actor=actor_of(request),
            person=person,
            unit=d["unit"],
            title=d["title"],
            started_on=d["started_on"],
            ended_on=d["ended_on"],
        )
        return self._detail(person)


# --- Accounts ------------------------------------------------------------------------------------


class AccountSerializer(serializers.ModelSerializer[User]):
    person = serializers.SerializerMethodField()
    person_name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "is_active",
            "must_change_password",
            "last_login",
            "person",
            "person_name",
        ]
        read_only_fields = fields

    def get_person(self, user: User) -> int | None:
        person = getattr(user, "person", None)
        return person.pk if person else None

    def get_person_name(self, user: User) -> str | None:
        person = getattr(user, "person", None)
        return person.full_name if person else None


class AccountCreateSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")

    def get_fields(self) -> Any:
        fields = super().get_fields()
        request = self.context.get("request")
        fields["person"] = serializers.PrimaryKeyRelatedField(
            queryset=manageable_people(request.user if request else None)
        )
        return fields


class AccountUpdateSerializer(serializers.Serializer[Any]):
    is_active = serializers.BooleanField()
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class LinkSerializer(serializers.Serializer[Any]):
    def get_fields(self) -> Any:
        fields = super().get_fields()
        request = self.context.get("request")
        fields["person"] = serializers.PrimaryKeyRelatedField(
            queryset=manageable_people(request.user if request else None)
        )
        return fields


class OneTimePasswordSerializer(serializers.Serializer[Any]):
    account = AccountSerializer()
    one_time_password = serializers.CharField(help_text="Shown once; the user must change it at sign-in")


class AccountViewSet(NoStoreMixin, viewsets.GenericViewSet[User]):
    """Accounts the caller manages (all tied units inside their subtree). POST creates an account for a
    staff member and returns its one-time password once; PATCH locks or unlocks; reset_password gives
    a new one-time password; link/unlink attach a login to a staff record."""

    serializer_class = AccountSerializer

    def get_queryset(self) -> Any:
        if not manages_people_somewhere(self.request.user):
            return User.objects.none()
        ids = [u.pk for u in services.manageable_accounts(actor_of(self.request))]
        return User.objects.filter(pk__in=ids).select_related("person").order_by("username")

    def _account(self, pk: str) -> User:
        user = User.objects.select_related("person").filter(pk=int(pk)).first()
        if (
            user is None
            or not manages_people_somewhere(self.request.user)
            or not services.can_manage_account(actor_of(self.request), user)
        ):
            raise Http404("Không tìm thấy tài khoản")
        return user

    def _valid(self, serializer_class: Any, request: Request) -> dict[str, Any]:
        serializer = serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AccountSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(AccountSerializer(self._account(pk)).data)

    @extend_schema(request=AccountCreateSerializer, responses={201: OneTimePasswordSerializer})
    def create(self, request: Request) -> Response:
        d = self._valid(AccountCreateSerializer, request)
        user, password = services.create_account(
            actor=actor_of(request), person=d["person"], username=d["username"]
        )
        return Response(
            {"account": AccountSerializer(user).data, "one_time_password": password},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=AccountUpdateSerializer, responses=AccountSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        user = self._account(pk)
        d = self._valid(AccountUpdateSerializer, request)
        services.set_account_active(
            actor=actor_of(request), user=user, active=d["is_active"], reason=d["reason"]
        )
        return Response(AccountSerializer(user).data)

    @extend_schema(request=None, responses=OneTimePasswordSerializer)
    @action(detail=True, methods=["post"])
    def reset_password(self, request: Request, pk: str) -> Response:
        user = self._account(pk)
        password = services.reset_password(actor=actor_of(request), user=user)
        return Response({"account": AccountSerializer(user).data, "one_time_password": password})

    @extend_schema(request=LinkSerializer, responses=AccountSerializer)
    @action(detail=True, methods=["post"])
    def link(self, request: Request, pk: str) -> Response:
        user = self._account(pk)
        d = self._valid(LinkSerializer, request)
        services.link_account(actor=actor_of(request), person=d["person"], user=user)
        user.refresh_from_db()
        return Response(AccountSerializer(user).data)

    @extend_schema(request=None, responses=AccountSerializer)
    @action(detail=True, methods=["post"])
    def unlink(self, request: Request, pk: str) -> Response:
        user = self._account(pk)
        person = Person.objects.filter(user=user).first()
        if person is None:
            return Response(
                {
                    "error": {
                        "code": "domain_error",
                        "message": "Tài khoản chưa gắn với hồ sơ nhân sự",
                        "fields": {},
                    }
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        services.unlink_account(actor=actor_of(request), person=person)
        return Response(AccountSerializer(User.objects.get(pk=user.pk)).data)


# --- Roles ---------------------------------------------------------------------------------------


class RoleSerializer(serializers.ModelSerializer[Membership]):
    username = serializers.CharField(source="user.username", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "username", "unit", "unit_name", "role", "valid_from", "valid_to", "note"]
        read_only_fields = fields


class GrantSerializer(serializers.Serializer[Any]):
    role = serializers.ChoiceField(choices=Role.choices)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")

    def get_fields(self) -> Any:
        fields = super().get_fields()
        request = self.context.get("request")
        fields["unit"] = _units_field(request, manage=True)
        fields["user"] = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
        return fields


class RevokeSerializer(serializers.Serializer[Any]):
    valid_to = serializers.DateField(help_text="The last day the grant counts")
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class RoleViewSet(NoStoreMixin, viewsets.GenericViewSet[Membership]):
    """Who holds what on the units the caller sees (`?all=1`: ended grants too). POST grants a role on a
    unit of the caller's subtree; PATCH with `valid_to` ends a grant (revocation)."""

    serializer_class = RoleSerializer

    def get_queryset(self) -> Any:
        if not manages_people_somewhere(self.request.user):
            return Membership.objects.none()
        qs = Membership.objects.filter(unit__in=visible_units(self.request.user)).select_related(
            "user", "unit"
        )
        if self.request.query_params.get("all") != "1":
            qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date.today()))
        return qs.order_by("unit__path", "role", "user__username")

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(RoleSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(RoleSerializer(self._membership(pk)).data)

    def _membership(self, pk: str) -> Membership:
        membership: Membership | None = (
            Membership.objects.filter(pk=int(pk), unit__in=visible_units(self.request.user))
            .select_related("user", "unit")
            .first()
        )
        if membership is None or not manages_people_somewhere(self.request.user):
            raise Http404("Không tìm thấy phân quyền")
        return membership

    @extend_schema(request=GrantSerializer, responses={201: RoleSerializer})
    def create(self, request: Request) -> Response:
        serializer = GrantSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        membership = services.grant_role(
            actor=actor_of(request),
            user=d["user"],
            unit=d["unit"],
            role=d["role"],
            valid_from=d.get("valid_from"),
            valid_to=d.get("valid_to"),
            note=d["note"],
        )
        return Response(RoleSerializer(membership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RevokeSerializer, responses=RoleSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        membership = self._membership(pk)
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        services.revoke_role(
            actor=actor_of(request),
            membership=membership,
            on=d["valid_to"] + timedelta(days=1),
            reason=d["reason"],
        )
        found = Membership.objects.filter(pk=membership.pk).select_related("user", "unit").first()
        if found is None:  # a grant that had not started is removed
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(RoleSerializer(found).data)


# --- Clusters ------------------------------------------------------------------------------------


class ClusterSerializer(serializers.ModelSerializer[Cluster]):
    members = serializers.SerializerMethodField()

    class Meta:
        model = Cluster
        fields = [
            "id",
            "name",
            "year",
            "kind",
            "organiser",
            "organiser_unit",
            "head_unit",
            "members",
            "updated_at",
        ]
        read_only_fields = fields

    def get_members(self, cluster: Cluster) -> list[dict[str, Any]]:
        return [
            {"unit": m.unit_id, "name": m.unit.name}
            for m in cluster.memberships.select_related("unit").order_by("unit__name")
        ]


class ClusterCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    kind = serializers.ChoiceField(choices=Cluster.Kind.choices, default=Cluster.Kind.CUM)
    organiser = serializers.ChoiceField(
        choices=Cluster.Organiser.choices, default=Cluster.Organiser.BO_NGANH_TINH
    )

    def get_fields(self) -> Any:
        fields = super().get_fields()
        request = self.context.get("request")
        fields["organiser_unit"] = _units_field(request, manage=True)
        fields["members"] = _units_field(request, manage=False, many=True, required=False)
        fields["head_unit"] = _units_field(request, manage=False, required=False)
        return fields


class ClusterUpdateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120, required=False)
    kind = serializers.ChoiceField(choices=Cluster.Kind.choices, required=False)
    organiser = serializers.ChoiceField(choices=Cluster.Organiser.choices, required=False)
    version = serializers.CharField(required=False)

    def get_fields(self) -> Any:
        fields = super().get_fields()
        fields["head_unit"] = _units_field(self.context.get("request"), manage=False, required=False)
        return fields


class MembersSerializer(serializers.Serializer[Any]):
    def get_fields(self) -> Any:
        fields = super().get_fields()
        fields["units"] = _units_field(self.context.get("request"), manage=False, many=True)
        return fields


class MemberSerializer(serializers.Serializer[Any]):
    def get_fields(self) -> Any:
        fields = super().get_fields()
        fields["unit"] = _units_field(self.context.get("request"), manage=False)
        return fields


class CopySerializer(serializers.Serializer[Any]):
    from_year = serializers.IntegerField(min_value=2000, max_value=2100)
    to_year = serializers.IntegerField(min_value=2000, max_value=2100)
    fingerprint = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="From the plan; without it only the plan is returned",
    )

    def get_fields(self) -> Any:
        fields = super().get_fields()
        fields["organiser_unit"] = _units_field(self.context.get("request"), manage=True)
        return fields


class CopyPlanSerializer(serializers.Serializer[Any]):
    fingerprint = serializers.CharField()
    clusters = serializers.ListField(child=serializers.DictField())
    created = serializers.ListField(child=serializers.IntegerField(), required=False)


class ClusterViewSet(viewsets.GenericViewSet[Cluster]):
    """Clusters and blocks the caller sees. POST creates one (organised by a unit the caller manages);
    PATCH edits it; members/remove_member change its members; copy plans then copies a year's."""

    serializer_class = ClusterSerializer

    def get_queryset(self) -> Any:
        qs = visible_clusters(self.request.user).select_related("organiser_unit").order_by("-year", "name")
        year = self.request.query_params.get("year", "")
        return qs.filter(year=int(year)) if year.isdigit() else qs

    def _valid(self, serializer_class: Any, request: Request) -> dict[str, Any]:
        serializer = serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _cluster(self, pk: str, *, write: bool = False) -> Cluster:
        cluster = get_cluster_for_user(self.request.user, int(pk))
        if write and not can_change_unit(self.request.user, cluster.organiser_unit):
            raise PermissionDenied("Bạn không có quyền sửa cụm, khối thi đua này")
        return cluster

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ClusterSerializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ClusterSerializer(self._cluster(pk)).data)

    @extend_schema(request=ClusterCreateSerializer, responses={201: ClusterSerializer})
    def create(self, request: Request) -> Response:
        d = self._valid(ClusterCreateSerializer, request)
        cluster = services.create_cluster(
            actor=actor_of(request),
            name=d["name"],
            year=d["year"],
            organiser_unit=d["organiser_unit"],
            members=d.get("members", []),
            head_unit=d.get("head_unit"),
            kind=d["kind"],
            organiser=d["organiser"],
        )
        return Response(ClusterSerializer(cluster).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ClusterUpdateSerializer, responses=ClusterSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        cluster = self._cluster(pk, write=True)
        d = self._valid(ClusterUpdateSerializer, request)
        cluster = services.update_cluster(
            actor=actor_of(request),
            cluster=cluster,
            version=d.get("version"),
            name=d.get("name"),
            kind=d.get("kind"),
            organiser=d.get("organiser"),
            head_unit=d.get("head_unit", False),
        )
        return Response(ClusterSerializer(cluster).data)

    @extend_schema(request=MembersSerializer, responses=ClusterSerializer)
    @action(detail=True, methods=["post"])
    def members(self, request: Request, pk: str) -> Response:
        cluster = self._cluster(pk, write=True)
        d = self._valid(MembersSerializer, request)
        services.add_cluster_members(actor=actor_of(request), cluster=cluster, units=d["units"])
        return Response(ClusterSerializer(cluster).data)

    @extend_schema(request=MemberSerializer, responses=ClusterSerializer)
    @action(detail=True, methods=["post"])
    def remove_member(self, request: Request, pk: str) -> Response:
        cluster = self._cluster(pk, write=True)
        d = self._valid(MemberSerializer, request)
        services.remove_cluster_member(actor=actor_of(request), cluster=cluster, unit=d["unit"])
        return Response(ClusterSerializer(cluster).data)

    @extend_schema(request=CopySerializer, responses=CopyPlanSerializer)
    @action(detail=False, methods=["post"])
    def copy(self, request: Request) -> Response:
        """Without `fingerprint`: the plan (clusters, members, changes) and its fingerprint. With the
        fingerprint of that plan: the copy, refused if the plan changed meanwhile."""
        d = self._valid(CopySerializer, request)
        plan = services.plan_cluster_copy(d["organiser_unit"], d["from_year"], d["to_year"])
        body: dict[str, Any] = {
            "fingerprint": plan.fingerprint(),
            "clusters": [
                {
                    "name": c.source.name,
                    "members": [u.pk for u in c.members],
                    "head_unit": c.head_unit.pk if c.head_unit else None,
                    "changes": c.changes,
                    "skipped": c.skipped,
                }
                for c in plan.clusters
            ],
        }
        if d["fingerprint"]:
            created = services.copy_clusters(
                actor=actor_of(request),
                organiser_unit=d["organiser_unit"],
                from_year=d["from_year"],
                to_year=d["to_year"],
                fingerprint=d["fingerprint"],
            )
            body["created"] = [c.pk for c in created]
        return Response(body)


__all__ = [
    "AccountViewSet",
    "ClusterViewSet",
    "PersonViewSet",
    "RoleViewSet",
    "UnitViewSet",
]
