"""Danish dates, one format per kind of place (Django's date format syntax). "N" is the
month as Danish abbreviates it ("jan.", "marts", "dec."): Django's "M" is its three-letter
name title-cased ("Dec") in every language."""

# Pages and prose: 2. december 2026, 2. december 2026 kl. 08:21.
DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = r"j. F Y \k\l. H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
# Lists and tables: 2. dec. 2026, 2. dec. 2026 08:21.
SHORT_DATE_FORMAT = "j. N Y"
SHORT_DATETIME_FORMAT = "j. N Y H:i"

# The same with the weekday: the event page's heading (onsdag den 2. december 2026), mails
# (onsdag den 2. december 2026 kl. 08:21), the event list's rows (ons 2. dec. 2026).
WEEKDAY_DATE_FORMAT = r"l \d\e\n j. F Y"
WEEKDAY_DATETIME_FORMAT = r"l \d\e\n j. F Y \k\l. H:i"
WEEKDAY_SHORT_DATE_FORMAT = "D j. N Y"
WEEKDAY_SHORT_DATETIME_FORMAT = "D j. N Y H:i"
