"""Workflows that write several rows at once; each is all-or-nothing."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from . import framework_file
from .models import (
    FrameworkVersion,
    Level,
    Option,
    Pillar,
    Question,
    Recommendation,
    Sector,
    SectorPillarWeight,
)

VERSION_CLASH = (
    "version {version} is already imported with different content; "
    "give the changed framework a new version number"
)


@dataclass(frozen=True)
class ImportOutcome:
    framework: FrameworkVersion
    created: bool


@transaction.atomic
def framework_import(*, path: Path | str, activate: bool = True) -> ImportOutcome:
    """Import a framework file as a new, immutable version.

    Importing the same version with the same content again changes nothing;
    the same version with other content is refused, because assessments pin
    a version and must keep meaning what they meant.
    """
    data = framework_file.parse_framework_file(path)
    digest = framework_file.checksum(data)
    existing = FrameworkVersion.objects.filter(version=data["version"]).first()
    if existing is not None:
        if existing.checksum != digest:
            raise framework_file.FrameworkFileError(
                f"{path}: " + VERSION_CLASH.format(version=data["version"])
            )
        return ImportOutcome(framework=existing, created=False)

    if activate:
        FrameworkVersion.objects.filter(is_active=True).update(is_active=False)
    framework = FrameworkVersion.objects.create(
        version=data["version"],
        name=data["name"],
        scale_min=data["scale"]["min"],
        scale_max=data["scale"]["max"],
        maturity_threshold=data["maturity_threshold"],
        is_active=activate,
        checksum=digest,
    )
    pillars = {
        p["key"]: Pillar.objects.create(framework=framework, position=i, **p)
        for i, p in enumerate(data["pillars"])
    }
    levels = {
        lv["key"]: Level.objects.create(framework=framework, position=i, **lv)
        for i, lv in enumerate(data["levels"])
    }
    for i, s in enumerate(data["sectors"]):
        sector = Sector.objects.create(
            framework=framework,
            position=i,
            key=s["key"],
            name=s["name"],
            description=s["description"],
        )
        SectorPillarWeight.objects.bulk_create(
            SectorPillarWeight(sector=sector, pillar=pillars[p], weight=w)
            for p, w in s["pillar_weights"].items()
        )
    for position, q in enumerate(data["questions"]):
        question = Question.objects.create(
            framework=framework,
            code=q["id"],
            pillar=pillars[q["pillar"]],
            level=levels[q["level"]],
            component=q["component"],
            text=q["text"],
            help=q["help"],
            weight=q["weight"],
            allow_na=q["allow_na"],
            effort=q["effort"],
            position=position,
        )
        Option.objects.bulk_create(
            Option(question=question, position=i, **o) for i, o in enumerate(q["options"])
        )
        Recommendation.objects.bulk_create(
            Recommendation(question=question, sector_key=k, text=t)
            for k, t in q["recommendations"].items()
        )
    return ImportOutcome(framework=framework, created=True)
