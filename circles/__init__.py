"""Circles: the regional circles and their memberships (leads and members); the circle
pages, what circle leads may do, the directory's circle filter, and the circle
memberships of the demo and scale data. May import members and core, nothing above:
events and focusareas hear of a member leaving a circle by circles' signals."""
