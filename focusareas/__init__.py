"""Focus areas: strategy periods, focus areas, guiding questions and their revisions;
contributions, comments, follows and the tags that link contributions to focus areas.
May import circles, members and core, nothing above (not events, not komdir)."""
