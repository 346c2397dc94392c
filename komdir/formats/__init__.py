"""The portal's date formats per language (settings.FORMAT_MODULE_PATH): Django looks here
before its own locale formats, so the names the date and time filters take
("DATE_FORMAT", "SHORT_DATETIME_FORMAT" ...) write the portal's choice for each kind of
place. Each module also has WEEKDAY_<name>: the same format with the weekday, read by
core.time.weekday_format (the with_weekday filter, the event list's rows)."""
