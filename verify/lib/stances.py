"""The stances a claim can take, and the groups the rules use. Defined once; no Django here.

`verify.claims.models.Stance` is the database's enum of the same codes (a test ties the two together).
"""

ALLEGES = "alleges"
CORROBORATES = "corroborates"
DENIES = "denies"
DENIES_RESPONSIBILITY = "denies_responsibility"
ALTERNATIVE = "alternative"
ACKNOWLEDGES = "acknowledges"

ALL = frozenset({ALLEGES, CORROBORATES, DENIES, DENIES_RESPONSIBILITY, ALTERNATIVE, ACKNOWLEDGES})
# Stances that say the attack happened as alleged: what a record needs before it can go to review.
AFFIRMING = frozenset({ALLEGES, CORROBORATES, ACKNOWLEDGES})
# Stances that dispute the attack as alleged (it did not happen, or not as alleged).
DISPUTING = frozenset({DENIES, ALTERNATIVE})
# Stances by which a party to the conflict denies what it is accused of.
PARTY_DENIAL = frozenset({DENIES, DENIES_RESPONSIBILITY, ALTERNATIVE})
# Stances that name who is responsible (a side denying its own responsibility names nobody: see grading).
NAMING = frozenset({ALLEGES, CORROBORATES, ACKNOWLEDGES, DENIES_RESPONSIBILITY, ALTERNATIVE})
