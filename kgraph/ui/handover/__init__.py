"""The parts of the Overdracht page: the one handover table, deciding, an item's details
and actions, the per-place and per-CoP views, the actions list, meetings and reports."""
