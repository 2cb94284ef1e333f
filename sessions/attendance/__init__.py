"""Attendance: roll call, check-in, imports, headcounts and the one "attended" selector."""
