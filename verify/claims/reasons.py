"""The words of a suggested grade's reasons. Stored reasons are codes with parameters (see verify.lib.grading);
this is the one place that turns them into a sentence, in the reader's language.

Every message has named placeholders, so a translation can put them in any order. Lists of names are joined
by join_names, which is translatable too.
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from verify.lib import grading

LEGACY = "legacy"  # a sentence stored before reasons were codes, shown as it was; see migration incidents 0011


def join_names(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    names = [str(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    separator = pgettext("list of names", ", ")
    return _("%(names)s and %(last)s") % {"names": separator.join(names[:-1]), "last": names[-1]}


def _denier(denier: Mapping) -> str:
    if denier.get("party"):
        return _("%(name)s (party to the conflict)") % {"name": denier["name"]}
    return str(denier["name"])


def _namer(namer: Mapping) -> str:
    sources = namer["sources"]
    message = ngettext("%(sources)s names %(perpetrator)s", "%(sources)s name %(perpetrator)s", len(sources))
    return message % {"sources": join_names(sources), "perpetrator": namer["perpetrator"]}


def _fair_bar(r: Mapping) -> str:
    values = {"count": len(r["sources"]), "sources": join_names(r["sources"])}
    if r["meeting"] == 1:
        return (
            _(
                "%(count)s independent sources (%(sources)s), but only one meets the bar for Fair "
                "(credibility 1–3 from a source rated A–C)."
            )
            % values
        )
    return (
        _(
            "%(count)s independent sources (%(sources)s), but none meet the bar for Fair "
            "(credibility 1–3 from a source rated A–C)."
        )
        % values
    )


def _render(r: Mapping) -> str:
    code = r["code"]
    if code == LEGACY:
        return str(r["text"])
    if code == grading.NO_CLAIMS:
        return _("No claims have been recorded yet.")
    if code == grading.NO_AFFIRMING_CLAIM:
        return _("No independent claim alleges, corroborates or acknowledges the attack.")
    if code == grading.ACKNOWLEDGED:
        return _("%(source)s, speaking for %(side)s, acknowledges responsibility.") % {
            "source": r["source"],
            "side": r["side"],
        }
    if code == grading.ACKNOWLEDGEMENT_SETTLES:
        return _("Other claims name %(perpetrators)s; the acknowledgement settles who is responsible.") % {
            "perpetrators": join_names(r["perpetrators"])
        }
    if code == grading.COMPETING_PERPETRATORS:
        namers = pgettext("between clauses", "; ").join(_namer(n) for n in r["namers"])
        return _("Competing perpetrators are named: %(namers)s.") % {"namers": namers}
    if code == grading.FAIR_SOURCES:
        count = len(r["sources"])
        message = ngettext(
            "%(count)s independent source (%(sources)s) makes credible claims (credibility 1–3, sources rated A–C).",
            "%(count)s independent sources (%(sources)s) make credible claims (credibility 1–3, sources rated A–C).",
            count,
        )
        return message % {"count": count, "sources": join_names(r["sources"])}
    if code == grading.SINGLE_SOURCE:
        return _("Only one independent source: %(source)s.") % {"source": r["source"]}
    if code == grading.BELOW_FAIR_BAR:
        return _fair_bar(r)
    if code == grading.DERIVED_NOT_COUNTED:
        message = ngettext(
            "%(count)s derived claim (%(sources)s) only repeat other claims and are not counted as independent.",
            "%(count)s derived claims (%(sources)s) only repeat other claims and are not counted as independent.",
            r["count"],
        )
        return message % {"count": r["count"], "sources": join_names(r["sources"])}
    if code == grading.DENIAL_NOT_CONTESTING:
        return _("Denied by %(deniers)s; a denial alone does not make the incident contested.") % {
            "deniers": join_names([_denier(d) for d in r["deniers"]])
        }
    raise KeyError(code)


def reason_text(reason: Mapping | grading.Reason | str) -> str:
    """The words of one reason: a stored {"code": ..., **params} dict, or a Reason from verify.lib.grading.

    A plain string (a row written before reasons were codes and not yet migrated) is shown as it is. A reason
    whose code or parameters this version does not know is shown by its code rather than breaking the page.
    """
    if isinstance(reason, str):
        return reason
    if isinstance(reason, grading.Reason):
        reason = reason.as_dict()
    try:
        return _render(reason)
    except (KeyError, TypeError):
        return str(reason.get("code", ""))
