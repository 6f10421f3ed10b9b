"""Pre-aggregated counts behind the whole-country map and the monthly timeline (issue 19).

Only incidents everyone may see are counted (live, not restricted); each reader's visible restricted incidents are
added live (verify.maps.summary). On PostgreSQL the counts are kept current by statement-level triggers on the
incidents table (migration 0002), so they are exact after every write, bulk ones included. SQLite keeps the tables
empty and answers from the incidents themselves.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The side of a base cell, in degrees: a cell is (floor(latitude * CELLS_PER_DEGREE), floor(longitude * ...)).
CELLS_PER_DEGREE = 20


class GridCount(models.Model):
    """Live, unrestricted, located incidents per 0.05° cell and grade, with the sums of their coordinates."""

    cy = models.IntegerField(verbose_name=_("cy"))
    cx = models.IntegerField(verbose_name=_("cx"))
    grade = models.CharField(max_length=12, verbose_name=_("grade"))
    n = models.BigIntegerField(default=0, verbose_name=_("n"))
    sum_lat = models.DecimalField(max_digits=24, decimal_places=6, default=0, verbose_name=_("sum lat"))
    sum_lng = models.DecimalField(max_digits=24, decimal_places=6, default=0, verbose_name=_("sum lng"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cy", "cx", "grade"], name="maps_gridcount_cell_grade")]

    def __str__(self) -> str:
        return f"{self.cy},{self.cx} {self.grade}: {self.n}"


class MonthCount(models.Model):
    """Live, unrestricted, dated incidents per month of their start date."""

    month = models.DateField(unique=True, verbose_name=_("month"))
    n = models.BigIntegerField(default=0, verbose_name=_("n"))

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.n}"
