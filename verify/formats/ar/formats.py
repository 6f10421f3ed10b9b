"""Arabic formats for verify: Django's, with Arabic month names and a right-to-left mark after numeric date parts,
but the decimal point and thousands comma that Syrian newsrooms and researchers use with Western digits. Django's
own Arabic formats swap them ("35,8137"), which misreads coordinates and casualty figures copied between pages."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 6  # Saturday
