"""The department's codes as a table shows them: each in its catalogue context.

`--json`, `--csv` and spreadsheets print codes as they are (`warning`, `customer_service`,
`sealed`), for scripts; a table for people shows them in the language in use, through the
column's `words` (render.Col) or a value that is `i18n.code(context, value)`. Nothing imports
this module to run: it is where the catalogue finds each code of each context (the NC_ marks
below), and tests/test_i18n.py checks that every code csctl knows has a word in it.
"""

from __future__ import annotations

from .i18n import NC_

OUTCOME = "outcome"
KEY_STATE = "key state"
KEY_CATEGORY = "key category"
HANDOVER_STATE = "handover state"
MONTH_STATE = "month state"
MONTH_ENTRY = "month entry"
DEPARTMENT = "department"
RANK = "rank"
LEVEL = "level"
EVENT_KIND = "event kind"
COMPLAINT = "complaint"
COMPLAINT_SOURCE = "complaint source"
WATCH = "watch"
CLOSE_FIELD = "close field"
ON_THE_HOOK = "on the hook"
DUTY_ENTRY = "duty entry"
KEY_EVENT = "key event"
RECORD_FIELD = "record field"
ACTIVE = "active"
DRAW_STATE = "draw state"

CODES: dict[str, tuple[str, ...]] = {
    OUTCOME: (NC_("outcome", "none"), NC_("outcome", "warning"), NC_("outcome", "punishment"),
              NC_("outcome", "severe")),
    KEY_STATE: (NC_("key state", "in"), NC_("key state", "out"), NC_("key state", "sealed"),
                NC_("key state", "lost"), NC_("key state", "retired")),
    KEY_CATEGORY: (NC_("key category", "office"), NC_("key category", "storeroom"),
                   NC_("key category", "equipment_room"), NC_("key category", "fire_exit"),
                   NC_("key category", "gate"), NC_("key category", "unit"), NC_("key category", "area")),
    HANDOVER_STATE: (NC_("handover state", "open"), NC_("handover state", "accepted"),
                     NC_("handover state", "refused")),
    MONTH_STATE: (NC_("month state", "open"), NC_("month state", "closed"), NC_("month state", "reopened"),
                  NC_("month state", "stale")),
    MONTH_ENTRY: (NC_("month entry", "close"), NC_("month entry", "reopen")),
    DEPARTMENT: (NC_("department", "customer_service"), NC_("department", "security"),
                 NC_("department", "engineering"), NC_("department", "cleaning"), NC_("department", "logistics"),
                 NC_("department", "data"), NC_("department", "marketing"), NC_("department", "product"),
                 NC_("department", "operations"), NC_("department", "admin")),
    RANK: (NC_("rank", "staff"), NC_("rank", "shift_lead"), NC_("rank", "supervisor"), NC_("rank", "manager"),
           NC_("rank", "general_manager")),
    LEVEL: (NC_("level", "probation"), NC_("level", "junior"), NC_("level", "intermediate"),
            NC_("level", "senior"), NC_("level", "reserve_supervisor")),
    EVENT_KIND: (NC_("event kind", "late"), NC_("event kind", "early-leave"), NC_("event kind", "absent"),
                 NC_("event kind", "awol"), NC_("event kind", "left-post"), NC_("event kind", "leave"),
                 NC_("event kind", "dayoff"), NC_("event kind", "forgot-signin"), NC_("event kind", "offline"),
                 NC_("event kind", "complaint"), NC_("event kind", "unfinished"), NC_("event kind", "refer")),
    COMPLAINT: (NC_("complaint", "slow"), NC_("complaint", "attitude")),
    COMPLAINT_SOURCE: (NC_("complaint source", "customer"), NC_("complaint source", "colleague")),
    WATCH: (NC_("watch", "none"), NC_("watch", "demotion"), NC_("watch", "dismissal")),
    CLOSE_FIELD: (NC_("close field", "score"), NC_("close field", "outcome"), NC_("close field", "rank"),
                  NC_("close field", "referred"), NC_("close field", "total")),
    ON_THE_HOOK: (NC_("on the hook", "handover"), NC_("on the hook", "day"), NC_("on the hook", "request"),
                  NC_("on the hook", "incident")),
    DUTY_ENTRY: (NC_("duty entry", "duty"), NC_("duty entry", "note"), NC_("duty entry", "report"),
                 NC_("duty entry", "swap")),
    KEY_EVENT: (NC_("key event", "registered"), NC_("key event", "borrow"), NC_("key event", "return"),
                NC_("key event", "hand_on"), NC_("key event", "lost"), NC_("key event", "found"),
                NC_("key event", "retire"), NC_("key event", "open"), NC_("key event", "reseal"),
                NC_("key event", "paperwork"), NC_("key event", "cause")),
    RECORD_FIELD: (NC_("record field", "id"), NC_("record field", "name"), NC_("record field", "dept"),
                   NC_("record field", "rank"), NC_("record field", "level"), NC_("record field", "hired"),
                   NC_("record field", "left"), NC_("record field", "active"), NC_("record field", "os_user"),
                   NC_("record field", "row"), NC_("record field", "scored")),
    ACTIVE: (NC_("active", "true"), NC_("active", "false")),
    DRAW_STATE: (NC_("draw state", "open"), NC_("draw state", "returned"), NC_("draw state", "used"),
                 NC_("draw state", "voided")),
}
