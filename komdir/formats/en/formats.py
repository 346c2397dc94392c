"""English dates, one format per kind of place (Django's date format syntax), written as
British English writes them: day, month, year, and the 24-hour clock the portal keeps."""

# Pages and prose: 2 December 2026, 2 December 2026, 08:21.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
# Lists and tables: 2 Dec 2026, 2 Dec 2026, 08:21.
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"

# The same with the weekday: the event page's heading (Wednesday 2 December 2026), mails
# (Wednesday 2 December 2026, 08:21), the event list's rows (Wed 2 Dec 2026).
WEEKDAY_DATE_FORMAT = "l j F Y"
WEEKDAY_DATETIME_FORMAT = "l j F Y, H:i"
WEEKDAY_SHORT_DATE_FORMAT = "D j M Y"
WEEKDAY_SHORT_DATETIME_FORMAT = "D j M Y, H:i"
