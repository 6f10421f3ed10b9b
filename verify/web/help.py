"""The help page: what the grades, the Admiralty scales, the stances and the workflow mean.

The labels come from the choices themselves, so the page and the badges never disagree; only the explanations
are written here.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from verify.claims.models import Stance
from verify.core.choices import Credibility, DatePrecision, LocationPrecision, Reliability
from verify.incidents.models import Grade, Status

GRADE_MEANING = {
    Grade.UNASSESSED: _("No reviewer has graded the record yet, or no claim alleges, corroborates or acknowledges it."),
    Grade.CONFIRMED: _(
        "A source speaking for a party to the conflict acknowledges that party's responsibility for the attack."
    ),
    Grade.FAIR: _(
        "Two or more different, independent sources report the attack with credibility 1–3, and the sources are "
        "rated A–C."
    ),
    Grade.WEAK: _("One or more independent sources report the attack, but below the bar for Fair."),
    Grade.CONTESTED: _(
        "Independent claims name different perpetrators. A denial alone names nobody and never makes a record "
        "Contested."
    ),
    Grade.DISCOUNTED: _(
        "A reviewer judged that the attack did not happen as alleged. Only a reviewer can give this grade; it is "
        "never suggested."
    ),
}

RELIABILITY_MEANING = {
    Reliability.A: _("No doubt of authenticity, trustworthiness or competence; a history of complete reliability."),
    Reliability.B: _("Minor doubt; a history of mostly valid information."),
    Reliability.C: _("Doubt; has provided valid information in the past."),
    Reliability.D: _("Significant doubt; has provided valid information in the past."),
    Reliability.E: _("Lacking authenticity, trustworthiness and competence; a history of invalid information."),
    Reliability.F: _("There is not enough to judge the source: a new source, or one never rated."),
}

CREDIBILITY_MEANING = {
    Credibility.CONFIRMED: _("Confirmed by other independent sources; logical in itself and consistent with others."),
    Credibility.PROBABLY_TRUE: _("Not confirmed, but logical in itself and consistent with other information."),
    Credibility.POSSIBLY_TRUE: _("Not confirmed; reasonably logical and agrees with some other information."),
    Credibility.DOUBTFUL: _("Not confirmed; possible but not logical, and no other information on the subject."),
    Credibility.IMPROBABLE: _("Not confirmed; not logical in itself and contradicted by other information."),
    Credibility.CANNOT_BE_JUDGED: _("There is no basis for judging the information."),
}

STANCE_MEANING = {
    Stance.ALLEGES: _("The source says the attack happened, and usually who did it."),
    Stance.CORROBORATES: _("The source supports another account of the attack with its own information."),
    Stance.DENIES: _("The source says the attack did not happen."),
    Stance.DENIES_RESPONSIBILITY: _("The source accepts that the attack happened but says its side did not do it."),
    Stance.ALTERNATIVE: _("The source explains the damage or deaths another way, for example as an accident."),
    Stance.ACKNOWLEDGES: _("The source, speaking for a party, accepts that party's responsibility."),
}

STATUS_MEANING = {
    Status.DRAFT: _("The researcher is logging claims and evidence. Nothing counts yet."),
    Status.SUBMITTED: _("The researcher has asked for review. The record waits in the review queue."),
    Status.IN_REVIEW: _("A second researcher, never the author, is reviewing it."),
    Status.VERIFIED: _(
        "The reviewer has set the final grade. Filter the list, the map and the exports on this status for the "
        "records that count."
    ),
    Status.CHANGES_REQUESTED: _("The reviewer asked for changes. The author edits and submits again."),
}


def _rows(choices, meanings: dict) -> list[tuple[str, str, str]]:
    return [(value, label, meanings[value]) for value, label in choices.choices if value in meanings]


def help_page(request: HttpRequest) -> HttpResponse:
    context = {
        "grades": _rows(Grade, GRADE_MEANING),
        "reliability": _rows(Reliability, RELIABILITY_MEANING),
        "credibility": _rows(Credibility, CREDIBILITY_MEANING),
        "stances": _rows(Stance, STANCE_MEANING),
        "statuses": _rows(Status, STATUS_MEANING),
        "date_precisions": DatePrecision.choices,
        "location_precisions": [(p.value, p.label, p.radius_m) for p in LocationPrecision],
    }
    return render(request, "core/help.html", context)
