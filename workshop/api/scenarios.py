"""Scenarios: the built-in library (read-only) and the organization's own (create; update = a new version).

A scenario is addressed by its key: ``<slug>`` for the organization's own, ``library:<slug>`` for a built-in.
The colon is not a slug character, so the two can never be confused, even when both use the same slug.
"""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from pydantic import ValidationError as PydanticValidationError
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from workshop.api.base import ApiViewSet
from workshop.api.fields import StrictSerializer, pydantic_errors
from workshop.engine import EMOTIONS, ScenarioSpec
from workshop.scenarios.authoring import (
    ScenarioRefused,
    scenario_create,
    scenario_slug_free,
    scenario_themes_all,
    scenario_update,
)
from workshop.scenarios.languages import (
    ACTIVITY_TEXT_FIELDS,
    DEFAULT_LANGUAGE,
    SCENARIO_LANGUAGES,
    translation_block,
    translation_flat,
)
from workshop.scenarios.models import Scenario
from workshop.scenarios.services import (
    ActivityTexts,
    ScenarioContent,
    ScenarioStructureError,
    scenario_content_finish,
    scenario_translation_check,
)
from workshop.scenarios.themes import themes_match
from workshop.tenancy.access import ALL_ROLES, STAFF_ROLES

LIBRARY_PREFIX = "library:"
KEY_REGEX = r"(?:library:)?[A-Za-z0-9_-]{1,80}"


def scenario_key(scenario: Scenario) -> str:
    return f"{LIBRARY_PREFIX}{scenario.slug}" if scenario.is_builtin else scenario.slug


def scenario_lineage(key: str):
    """All versions of the scenario a key names, in the organization in scope (built-ins for library keys)."""
    if key.startswith(LIBRARY_PREFIX):
        return Scenario.objects.filter(organization__isnull=True, slug=key.removeprefix(LIBRARY_PREFIX))
    return Scenario.objects.filter(organization__isnull=False, slug=key)


# --- output ------------------------------------------------------------------------------------------------

class PerspectiveSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    role = serializers.CharField(max_length=120)
    pronouns = serializers.CharField(max_length=20, required=False, allow_blank=True, default="",
                                     help_text="she, he, they... as the narrative refers to the person; empty: "
                                               "the engine reads them from the narrative.")


class EmotionSerializer(serializers.Serializer):
    label = serializers.ChoiceField(choices=sorted(EMOTIONS))
    intensity = serializers.FloatField(min_value=0, max_value=1)


class TranslationPerspectiveSerializer(StrictSerializer):
    name = serializers.CharField(max_length=80, required=False, allow_blank=True)
    role = serializers.CharField(max_length=120, required=False, allow_blank=True)
    pronouns = serializers.CharField(max_length=20, required=False, allow_blank=True)


class TranslationSerializer(StrictSerializer):
    """The scenario's texts in another language; a field left out (or empty) reads in the primary language."""

    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    narrative = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    perspective = TranslationPerspectiveSerializer(required=False)
    themes = serializers.ListField(child=serializers.CharField(max_length=80), max_length=12, required=False,
                                   help_text="Theme words in that language.")
    discussion_prompts = serializers.ListField(child=serializers.CharField(max_length=1000), max_length=10,
                                               required=False)
    when_asked = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    witness = serializers.CharField(max_length=500, required=False, allow_blank=True)


WHEN_ASKED_HELP = ("Optional: what the person said when someone asked them, in their words. Perspective-getting "
                   "shows it after the participant has written what they would ask.")
WITNESS_HELP = ("Optional: the seat of someone who was there (\"You are the colleague at the coffee machine.\"). "
                "Bystander rehearsal replays the scenario from it; empty: a sentence made from the perspective.")


# One optional block per language: {"ko": {...}} for a scenario written in English, {"en": {...}} for one
# written in Korean first.
TranslationsSerializer = type("TranslationsSerializer", (StrictSerializer,), {
    "__doc__": "The scenario in its other languages, by language code (not its own language).",
    **{code: TranslationSerializer(required=False) for code in SCENARIO_LANGUAGES},
})


class ScenarioOutputSerializer(serializers.Serializer):
    key = serializers.SerializerMethodField()
    slug = serializers.CharField()
    origin = serializers.SerializerMethodField(help_text="library (built-in, read-only) or organization")
    version = serializers.IntegerField()
    is_current = serializers.BooleanField()
    title = serializers.CharField()
    narrative = serializers.CharField()
    perspective = serializers.SerializerMethodField()
    emotions = EmotionSerializer(many=True)
    themes = serializers.ListField(child=serializers.CharField(), help_text="Free text; a known theme by its id.")
    discussion_prompts = serializers.ListField(child=serializers.CharField())
    when_asked = serializers.CharField(help_text=WHEN_ASKED_HELP)
    witness = serializers.CharField(help_text=WITNESS_HELP)
    language = serializers.CharField(help_text="The language the scenario is written in (its texts above).")
    translations = serializers.SerializerMethodField(
        help_text="Its texts in other languages, by language code; a field left out reads in the primary one.")
    created = serializers.DateTimeField()

    def get_key(self, obj: Scenario) -> str:
        return scenario_key(obj)

    def get_origin(self, obj: Scenario) -> str:
        return "library" if obj.is_builtin else "organization"

    @extend_schema_field(PerspectiveSerializer)
    def get_perspective(self, obj: Scenario) -> dict:
        return {"name": obj.perspective_name, "role": obj.perspective_role, "pronouns": obj.perspective_pronouns}

    @extend_schema_field(TranslationsSerializer)
    def get_translations(self, obj: Scenario) -> dict:
        return {code: translation_block(obj.translations[code]) for code in obj.languages[1:]}


class ScenarioInputSerializer(StrictSerializer):
    slug = serializers.RegexField(r"^[A-Za-z0-9_-]+$", max_length=80, required=False,
                                  help_text="Made from the title when left out. Fixed once the scenario exists.")
    title = serializers.CharField(max_length=200)
    narrative = serializers.CharField(max_length=5000)
    perspective = PerspectiveSerializer()
    emotions = EmotionSerializer(many=True, allow_empty=False, max_length=8)
    themes = serializers.ListField(
        child=serializers.CharField(max_length=80), max_length=12, required=False, default=list,
        help_text="In your own words (\"microaggression\", \"hybrid work\"); a word naming a known theme is stored "
                  "as its id. The engine infers the rest from the narrative.")
    discussion_prompts = serializers.ListField(child=serializers.CharField(max_length=1000), max_length=10,
                                               required=False, default=list)
    language = serializers.ChoiceField(choices=SCENARIO_LANGUAGES, required=False, default=DEFAULT_LANGUAGE,
                                       help_text="The language title, narrative and prompts are written in.")
    when_asked = serializers.CharField(max_length=2000, required=False, allow_blank=True, help_text=WHEN_ASKED_HELP)
    witness = serializers.CharField(max_length=500, required=False, allow_blank=True, help_text=WITNESS_HELP)
    translations = TranslationsSerializer(required=False)

    def content(self, *, slug: str) -> ScenarioContent:
        """The scenario in every language, checked as the file import and the console check it."""
        data = {**self.validated_data, "slug": slug}
        blocks = data.pop("translations", None) or {}
        activity_data = {key: data.pop(key) for key in ACTIVITY_TEXT_FIELDS if key in data}
        try:
            spec = ScenarioSpec.model_validate(data)
            activity = ActivityTexts.model_validate(activity_data)
        except PydanticValidationError as exc:
            raise exceptions.ValidationError(pydantic_errors(exc)) from None
        translations = {}
        for code, block in blocks.items():
            if code == spec.language:
                raise exceptions.ValidationError({f"translations.{code}": [serializers.ErrorDetail(
                    _("This is the scenario's own language: its text goes in the main fields."), code="invalid")]})
            try:
                translations[code] = scenario_translation_check(spec=spec, language=code,
                                                                fields=translation_flat(block))
            except PydanticValidationError as exc:
                raise exceptions.ValidationError(pydantic_errors(exc, prefix=f"translations.{code}.")) from None
        try:
            return scenario_content_finish(spec=spec, translations=translations, activity_texts=activity)
        except ScenarioStructureError as exc:  # the engine infers nothing from it; the message says what to add
            field = f"translations.{exc.language}.{exc.field}" if exc.language else exc.field
            raise exceptions.ValidationError({field: [str(exc)]}) from None


# --- views -------------------------------------------------------------------------------------------------

ORIGINS = ("library", "organization")
SCENARIO_ORDERING = {"title": "title", "-title": "-title", "slug": "slug", "-slug": "-slug",
                     "created": "created", "-created": "-created"}


def _refusal(exc: ScenarioRefused) -> exceptions.APIException:
    """A built-in scenario is read-only (403); any other refusal is about one field (400)."""
    if exc.code == "read_only" and not exc.field:
        return exceptions.PermissionDenied(str(exc), code=exc.code)
    return exceptions.ValidationError({exc.field: [serializers.ErrorDetail(str(exc), code=exc.code)]})


@extend_schema_view(
    list=extend_schema(summary="Current version of every scenario the organization can use", parameters=[
        OpenApiParameter("origin", str, enum=ORIGINS, description="Only the library, or only the organization's"),
        OpenApiParameter("theme", str, description="A theme word, free or known (id or label), any case, in any of "
                         "the scenario's languages"),
        OpenApiParameter("emotion", str, enum=sorted(EMOTIONS)),
        OpenApiParameter("ordering", str, enum=sorted(SCENARIO_ORDERING), description="Default: library first, "
                         "then by title"),
    ]),
    retrieve=extend_schema(summary="The current version of one scenario"),
    create=extend_schema(summary="Write a new organization scenario (version 1)",
                         request=ScenarioInputSerializer, responses={201: ScenarioOutputSerializer}),
    update=extend_schema(summary="Save the next version (all fields; language and translations stay as they are "
                                 "when left out)", request=ScenarioInputSerializer,
                         responses={200: ScenarioOutputSerializer}),
    partial_update=extend_schema(summary="Save the next version (the fields sent; the rest as they are)",
                                 request=ScenarioInputSerializer, responses={200: ScenarioOutputSerializer}),
    versions=extend_schema(summary="Every version of one scenario, newest first",
                           responses=ScenarioOutputSerializer(many=True)),
)
class ScenarioViewSet(mixins.ListModelMixin, ApiViewSet):
    """Analysts may read scenarios (report filters name them); only staff write, as in the console."""

    serializer_class = ScenarioOutputSerializer
    queryset = Scenario._base_manager.none()  # the model, for the schema; rows come from get_queryset()
    lookup_field = "key"
    lookup_url_kwarg = "key"
    lookup_value_regex = KEY_REGEX
    roles = {"list": ALL_ROLES, "retrieve": ALL_ROLES, "versions": ALL_ROLES,
             "create": STAFF_ROLES, "update": STAFF_ROLES, "partial_update": STAFF_ROLES}

    def get_queryset(self):
        scenarios = Scenario.objects.filter(is_current=True)
        params = self.request.query_params
        origin = params.get("origin")
        if origin == "library":
            scenarios = scenarios.filter(organization__isnull=True)
        elif origin == "organization":
            scenarios = scenarios.filter(organization__isnull=False)
        elif origin is not None:  # an empty value too: it names neither
            raise exceptions.ValidationError({"origin": [_("Choose library or organization.")]})
        theme, emotion = params.get("theme"), params.get("emotion")
        if theme and len(theme) > 80:
            raise exceptions.ValidationError({"theme": [_("A theme is at most 80 characters.")]})
        if emotion is not None and emotion not in EMOTIONS:
            raise exceptions.ValidationError({"emotion": [_("Unknown emotion.")]})
        if theme or emotion:
            # JSON list lookups differ between databases, and the library is small: match in Python.
            scenarios = scenarios.filter(pk__in=[
                s.pk for s in scenarios.only("pk", "themes", "translations", "emotions")
                if (not theme or themes_match(scenario_themes_all(s), theme))
                and (not emotion or any(e["label"] == emotion for e in s.emotions))
            ])
        ordering = params.get("ordering")
        if ordering is not None and ordering not in SCENARIO_ORDERING:
            raise exceptions.ValidationError({"ordering": [_("Order by one of: %(fields)s.")
                                                           % {"fields": ", ".join(sorted(SCENARIO_ORDERING))}]})
        if ordering:
            return scenarios.order_by(SCENARIO_ORDERING[ordering], "pk")
        return scenarios.order_by(F("organization_id").asc(nulls_first=True), "title", "pk")

    def get_object(self) -> Scenario:
        scenario = scenario_lineage(self.kwargs["key"]).filter(is_current=True).first()
        if scenario is None:
            raise exceptions.NotFound()
        return scenario

    def retrieve(self, request, key: str):
        return Response(ScenarioOutputSerializer(self.get_object()).data)

    @action(detail=True, methods=["get"])
    def versions(self, request, key: str):
        versions = scenario_lineage(key).order_by("-version")
        page = self.paginate_queryset(versions)
        if not page and not versions.exists():
            raise exceptions.NotFound()
        return self.get_paginated_response(ScenarioOutputSerializer(page, many=True).data)

    def create(self, request):
        organization = request.membership.organization
        data = ScenarioInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        slug = data.validated_data.get("slug") or scenario_slug_free(organization=organization,
                                                                     base=data.validated_data["title"])
        try:
            scenario = scenario_create(organization=organization, content=data.content(slug=slug), actor=request.user,
                                       via="api")
        except ScenarioRefused as exc:
            raise _refusal(exc) from None
        return Response(ScenarioOutputSerializer(scenario).data, status=status.HTTP_201_CREATED)

    def update(self, request, key: str, partial: bool = False):
        current = self.get_object()
        before = current.to_file_dict()
        before["translations"] = {code: before.pop(code) for code in current.languages[1:]}
        incoming = request.data
        if isinstance(incoming, dict):
            # A partial update keeps every field it leaves out. A full one keeps the language, the
            # translations and the activity texts when it leaves them out: a client written before they existed
            # never drops them.
            kept = [k for k in before if k != "slug"] if partial else ["language", "translations",
                                                                        *ACTIVITY_TEXT_FIELDS]
            incoming = {**{k: before[k] for k in kept if k in before}, **incoming}
        data = ScenarioInputSerializer(data=incoming)
        data.is_valid(raise_exception=True)
        try:
            saved, _created = scenario_update(scenario=current, content=data.content(
                slug=data.validated_data.get("slug", current.slug)), actor=request.user, via="api")
        except ScenarioRefused as exc:
            raise _refusal(exc) from None
        return Response(ScenarioOutputSerializer(saved).data)

    def partial_update(self, request, key: str):
        return self.update(request, key, partial=True)
