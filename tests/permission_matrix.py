"""The permission matrix of the site: every URL × every role × whose object it is.

tests/test_permission_matrix.py builds a small world and turns every cell of MATRIX into a
request, then checks the answer and, for a POST, that nothing changed unless the cell says so.

The people (ROLES) all work for KPU Kota Bontang (64.74), or look at it from above:

    op    operator of the Sekretariat KPU Kota Bontang (drafts its PKs and its Subbagian's)
    sub   operator of another Subbagian of Bontang (Teknis): sees the office, drafts only Teknis
    adm   administrator of KPU Kota Bontang (manages its users; may draft every Bontang PK)
    kas   signatory: Kasubbag Keuangan, Pihak Pertama of the Subbagian Keuangan PK
    sek   signatory: the Sekretaris, Pihak Kedua (approver) of the Subbagian PKs and Pihak
          Pertama of the Sekretariat PK
    ket   signatory: the Ketua, Pihak Kedua of the Sekretariat PK and sole signatory of the
          KPU Kota PK
    pop   operator of the KPU Provinsi Kalimantan Timur (64) itself: not a Kab/Kota's office
    cmp   compiler of the KPU Provinsi Kalimantan Timur (sees every unit of its province)
    ren   national reviewer, Biro Perencanaan
    ins   national reviewer, Inspektorat
    stf   staff account (may open the admin) without any membership
    ex    a former operator of the Bontang Sekretariat: the membership is deactivated
    su    superuser

Whose object (RELATIONS), each a unit with the same objects:

    own    KPU Kota Bontang (64.74), in Kalimantan Timur (64)
    same   KPU Kota Samarinda (64.72), the same province
    other  KPU Kota Sorong (96.71), in Papua Barat Daya (96)

For a notification "own" is the requesting user's own one, "same"/"other" one of an operator of
Samarinda/Sorong. A compilation and a province page belong to the province: "own" and "same"
are both Kalimantan Timur's.

The objects (column "object") of each of the three units, as the world fixture makes them:

    draft   the Subbagian Keuangan PK, a draft
    subm    the Subbagian Perencanaan PK, submitted (Diajukan) by the operator
    appr    the Sekretariat PK, approved (Disetujui)
    sign    the Subbagian Partisipasi PK, signed by hand (Ditandatangani) with its scan; its
            Triwulan I reported and submitted by the operator (the quarter form rows ask about
            Triwulan II, still empty; the verification rows about Triwulan I)
    evid    the evidence file of that Triwulan I
    deliv   the KPU Kota PK, signed by hand and sent to its Provinsi (Disampaikan)
    scan    the wet-signature scan of `deliv` (a SignedDocument)
    submn   the Submission of `deliv`; Sorong's has gone to KPU in a compilation, the two
            of Kalimantan Timur not yet (so a reviewer may decide only Sorong's)
    comp    the province's finished compilation (Kalimantan Timur's not yet sent to KPU)
    prov    the province's compilation page (province code and year)
    dipa    the DIPA 2027 of the unit's Sekretariat
    unit    the unit itself (its page, its monitoring API document; for a POST that creates
            something: in that unit)
    memb    the operator's membership of that unit's Sekretariat
    sreq    a pending request of the unit's administrator to bind an account to its Ketua
    enrol   a valid key-enrolment link of Bontang's Sekretaris (the same link for every
            relation: it is no unit's object but the official's)
    notif   a notification (see above)
    -       nothing of a unit: the page is the same for every relation

Cells: one letter for all three relations, or three letters (own, same, other):

    o   200
    r   302: the designed redirect of a GET; for a POST, the change was made
    x   302 back with an error message; nothing changed
    b   400: the input was refused with the form's errors; nothing changed
    F   403 with the reason
    N   404: the object is not there for this user (another unit's: never a 403 that leaks)
    M   405: wrong method
    s   200, and the relation's object is on the page (a list)
    h   200, and the relation's object is nowhere on the page (a list: no leak)

A POST cell other than `r` also asserts that nothing changed (the row's probe in the test).
Where a refused POST answers 200 (the signing form shows its error), the cell is `o`.

A new URL needs a row here (test_every_url_of_the_site_has_a_row_or_a_reason_to_be_left_out
fails until it has one): its name, the verb, the object it points at and the answer for each
role; a POST row also needs its probe (and its data, if any) in PROBES/POST_DATA of the test.
"""

ROLES = ("op", "sub", "adm", "kas", "sek", "ket", "pop", "cmp", "ren", "ins", "stf", "ex", "su")
RELATIONS = ("own", "same", "other")
STATUS = {"o": 200, "r": 302, "x": 302, "b": 400, "F": 403, "N": 404, "M": 405, "s": 200,
          "h": 200}  # fmt: skip

# URL names that are not in the matrix, and why.
EXCLUDED = {
    "login": "public: the login page",
    "logout": "public: ends the session of whoever sends it (also after it expired)",
    "password_change": "Django's own page; changes the password of the user who is logged in",
    "password_change_done": "Django's own page; changes the password of the user logged in",
    "password_reset": "public: asking for a password reset e-mail",
    "password_reset_done": "public: part of the password reset",
    "password_reset_confirm": "public: part of the password reset (a signed token)",
    "password_reset_complete": "public: part of the password reset",
    "healthz": "public: the health check of load balancers",
    "set_language": "public: switching the interface language",
    "verification": "public: the QR code's verification page of a signed PK",
}
EXCLUDED_NAMESPACES = {"admin": "Django's admin site: staff only, its own permission system"}

# fmt: off
MATRIX = """
# URL name[variant]                   verb object op   sub  adm  kas  sek  ket  pop  cmp  ren  ins  stf  ex   su
home                                  GET  -      o    o    o    o    o    o    o    o    o    o    o    o    o
otp_settings                          GET  -      o    o    o    o    o    o    o    o    o    o    o    o    o
profile                               GET  -      o    o    o    o    o    o    o    o    o    o    o    o    o
profile                               POST -      r    r    r    r    r    r    r    r    r    r    r    r    r
otp_start                             GET  -      M    M    M    M    M    M    M    M    M    M    M    M    M
otp_start                             POST -      x    x    x    x    x    x    x    x    x    x    x    x    x
otp_confirm                           GET  -      M    M    M    M    M    M    M    M    M    M    M    M    M
otp_confirm                           POST -      x    x    x    x    x    x    x    x    x    x    x    x    x
otp_remove                            GET  -      M    M    M    M    M    M    M    M    M    M    M    M    M
otp_remove                            POST -      x    x    x    x    x    x    x    x    x    x    x    x    x

organisations:unit_detail             GET  unit   oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
organisations:unit_users              GET  memb   F    F    shh  F    F    F    F    F    F    F    F    F    s
organisations:unit_users              POST unit   F    F    rbb  F    F    F    F    F    F    F    F    F    r
organisations:membership_toggle       GET  memb   M    M    M    M    M    M    M    M    M    M    M    M    M
organisations:membership_toggle       POST memb   N    N    rNN  N    N    N    N    N    N    N    N    N    r
organisations:official_email_request  GET  unit   M    M    M    M    M    M    M    M    M    M    M    M    M
organisations:official_email_request  POST unit   F    F    rbb  F    F    F    F    F    F    F    F    F    r
organisations:signatory_requests      GET  -      F    F    o    F    F    F    F    F    F    F    F    F    o
organisations:signatory_request_decide[setujui] GET sreq M M   M    M    M    M    M    M    M    M    M    M    M
organisations:signatory_request_decide[setujui] POST sreq N N  N    N    N    N    N    N    N    N    N    N    r
organisations:signatory_request_decide[tolak] POST sreq N  N   N    N    N    N    N    N    N    N    N    N    r

agreements:list                       GET  draft  shh  shh  shh  shh  shh  shh  h    ssh  s    s    h    h    s
agreements:create                     GET  unit   M    M    M    M    M    M    M    M    M    M    M    M    M
agreements:create                     POST unit   rbb  b    rbb  b    b    b    b    b    b    b    b    b    b
agreements:source_options             GET  draft  shh  h    shh  h    h    h    h    h    h    h    h    h    h
agreements:template                   GET  -      o    o    o    o    o    o    o    o    o    o    o    o    o
agreements:detail                     GET  draft  oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
agreements:edit                       GET  draft  oNN  FNN  oNN  FNN  FNN  FNN  N    FFN  F    F    N    N    F
agreements:edit                       POST draft  rNN  FNN  rNN  FNN  FNN  FNN  N    FFN  F    F    N    N    F
agreements:delete                     GET  draft  M    M    M    M    M    M    M    M    M    M    M    M    M
agreements:delete                     POST draft  rNN  FNN  rNN  FNN  FNN  FNN  N    FFN  F    F    N    N    F
agreements:lampiran                   GET  draft  oNN  FNN  oNN  FNN  FNN  FNN  N    FFN  F    F    N    N    F
agreements:lampiran                   POST draft  bNN  FNN  bNN  FNN  FNN  FNN  N    FFN  F    F    N    N    F
agreements:lampiran_row               GET  draft  oNN  FNN  oNN  FNN  FNN  FNN  N    FFN  F    F    N    N    F
agreements:import                     GET  draft  oNN  FNN  oNN  FNN  FNN  FNN  N    FFN  F    F    N    N    F
agreements:import                     POST draft  bNN  FNN  bNN  FNN  FNN  FNN  N    FFN  F    F    N    N    F
agreements:import_confirm             GET  draft  M    M    M    M    M    M    M    M    M    M    M    M    M
agreements:import_confirm             POST draft  bNN  FNN  bNN  FNN  FNN  FNN  N    FFN  F    F    N    N    F
agreements:import_mapping             GET  draft  M    M    M    M    M    M    M    M    M    M    M    M    M
agreements:import_mapping             POST draft  bNN  FNN  bNN  FNN  FNN  FNN  N    FFN  F    F    N    N    F
agreements:export                     GET  draft  oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
agreements:copy                       GET  draft  oNN  FNN  oNN  FNN  FNN  FNN  N    FFN  F    F    N    N    F
agreements:copy                       POST draft  bNN  FNN  bNN  FNN  FNN  FNN  N    FFN  F    F    N    N    F
agreements:amend                      GET  deliv  FNN  FNN  oNN  FNN  FNN  FNN  N    FFN  F    F    N    N    F
agreements:amend                      POST deliv  FNN  FNN  rNN  FNN  FNN  FNN  N    FFN  F    F    N    N    F
agreements:checks                     GET  draft  oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
agreements:accept_warning             GET  draft  M    M    M    M    M    M    M    M    M    M    M    M    M
agreements:accept_warning             POST draft  xNN  FNN  xNN  FNN  FNN  FNN  N    FFN  F    F    N    N    F
agreements:workflow_action[submit]    GET  draft  M    M    M    M    M    M    M    M    M    M    M    M    M
agreements:workflow_action[submit]    POST draft  rNN  xNN  rNN  xNN  xNN  xNN  N    xxN  x    x    N    N    x
agreements:workflow_action[approve]   POST subm   xNN  xNN  xNN  xNN  rNN  xNN  N    xxN  x    x    N    N    x
agreements:workflow_action[return]    POST subm   xNN  xNN  xNN  xNN  rNN  xNN  N    xxN  x    x    N    N    x
agreements:workflow_action[withdraw]  POST subm   rNN  xNN  rNN  xNN  xNN  xNN  N    xxN  x    x    N    N    x
agreements:document_preview           GET  draft  oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
agreements:document_pdf               GET  draft  oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
agreements:waiting                    GET  subm   h    h    h    h    shh  h    h    h    h    h    h    h    h
agreements:review                     GET  subm   oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
agreements:review_pdf                 GET  subm   oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
agreements:scan_upload                GET  appr   M    M    M    M    M    M    M    M    M    M    M    M    M
agreements:scan_upload                POST appr   rNN  xNN  rNN  xNN  rNN  rNN  N    xxN  x    x    N    N    x
agreements:scan_file                  GET  scan   oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
agreements:scan_confirm               GET  appr   M    M    M    M    M    M    M    M    M    M    M    M    M
agreements:scan_confirm               POST appr   xNN  xNN  xNN  xNN  xNN  xNN  N    xxN  x    x    N    N    x
agreements:scan_reject                GET  appr   M    M    M    M    M    M    M    M    M    M    M    M    M
agreements:scan_reject                POST appr   xNN  xNN  xNN  xNN  xNN  xNN  N    xxN  x    x    N    N    x
agreements:sign                       GET  appr   oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
agreements:sign                       POST appr   oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
agreements:signed_download            GET  scan   oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
agreements:enrolment_link             GET  -      M    M    M    M    M    M    M    M    M    M    M    M    M
agreements:enrolment_link             POST -      x    x    x    r    r    r    x    x    x    x    x    x    x
agreements:key_enrolment              GET  enrol  F    F    F    F    o    F    F    F    F    F    F    F    F
agreements:key_enrolment              POST enrol  F    F    F    F    r    F    F    F    F    F    F    F    F
agreements:notifications              GET  notif  shh  shh  shh  shh  shh  shh  shh  shh  shh  shh  shh  shh  shh
agreements:notifications_read_all     GET  -      M    M    M    M    M    M    M    M    M    M    M    M    M
agreements:notifications_read_all     POST -      r    r    r    r    r    r    r    r    r    r    r    r    r
agreements:notification_read          GET  notif  M    M    M    M    M    M    M    M    M    M    M    M    M
agreements:notification_read          POST notif  rNN  rNN  rNN  rNN  rNN  rNN  rNN  rNN  rNN  rNN  rNN  rNN  rNN

dipa_list                             GET  dipa   shh  h    shh  h    h    h    h    h    h    h    h    h    h
dipa_list_year                        GET  dipa   shh  h    shh  h    h    h    h    h    h    h    h    h    h
dipa_edit                             GET  dipa   oNN  N    oNN  N    N    N    N    N    N    N    N    N    N
dipa_edit                             POST dipa   rNN  N    rNN  N    N    N    N    N    N    N    N    N    N
dipa_import                           GET  -      M    M    M    M    M    M    M    M    M    M    M    M    M
dipa_import                           POST -      F    F    F    F    F    F    F    F    r    r    F    F    r

submission_submit                     GET  sign   M    M    M    M    M    M    M    M    M    M    M    M    M
submission_submit                     POST sign   rNN  xNN  rNN  xNN  xNN  xNN  N    xxN  x    x    N    N    x
delivery_add                          GET  submn  M    M    M    M    M    M    M    M    M    M    M    M    M
delivery_add                          POST submn  xNN  xNN  xNN  xNN  xNN  xNN  N    xxN  x    x    N    N    x
hardcopy_update                       GET  submn  M    M    M    M    M    M    M    M    M    M    M    M    M
hardcopy_update                       POST submn  xNN  xNN  rNN  xNN  xNN  rNN  N    rrN  x    x    N    N    x
submission_withdraw                   GET  submn  M    M    M    M    M    M    M    M    M    M    M    M    M
submission_withdraw                   POST submn  xNN  xNN  rNN  xNN  xNN  rNN  N    xxN  x    x    N    N    x

submissions:province_home             GET  -      F    F    F    F    F    F    F    r    o    o    F    F    o
submissions:province                  GET  prov   N    N    N    N    N    N    FFN  ooN  o    o    N    N    o
submissions:compile                   GET  prov   M    M    M    M    M    M    M    M    M    M    M    M    M
submissions:compile                   POST prov   N    N    N    N    N    N    FFN  rrN  F    F    N    N    F
submissions:compilation_progress      GET  comp   N    N    N    N    N    N    FFN  ooN  o    o    N    N    o
submissions:compilation_pdf           GET  comp   N    N    N    N    N    N    FFN  ooN  o    o    N    N    o
submissions:compilation_zip           GET  comp   N    N    N    N    N    N    FFN  ooN  o    o    N    N    o
submissions:compilation_submit        GET  comp   M    M    M    M    M    M    M    M    M    M    M    M    M
submissions:compilation_submit        POST comp   N    N    N    N    N    N    FFN  rrN  F    F    N    N    F
submissions:compilation_withdraw      GET  comp   M    M    M    M    M    M    M    M    M    M    M    M    M
submissions:compilation_withdraw      POST comp   N    N    N    N    N    N    FFN  xxN  F    F    N    N    F

review_home                           GET  -      F    F    F    F    F    F    F    F    r    r    F    F    r
review_dashboard                      GET  submn  F    F    F    F    F    F    F    F    s    s    F    F    s
review_export                         GET  -      F    F    F    F    F    F    F    F    o    o    F    F    o
review_submission                     GET  submn  F    F    F    F    F    F    F    F    o    o    F    F    o
review_softcopy                       GET  submn  oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
review_accept                         GET  submn  M    M    M    M    M    M    M    M    M    M    M    M    M
review_accept                         POST submn  F    F    F    F    F    F    F    F    xxr  xxr  F    F    xxr
review_return                         GET  submn  M    M    M    M    M    M    M    M    M    M    M    M    M
review_return                         POST submn  F    F    F    F    F    F    F    F    xxr  xxr  F    F    xxr

monitoring:quarter                    GET  sign   oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
monitoring:quarter                    POST sign   bNN  xNN  bNN  xNN  xNN  xNN  N    xxN  x    x    N    N    x
monitoring:quarter_sheet              GET  sign   oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
monitoring:quarter_sheet              POST sign   M    M    M    M    M    M    M    M    M    M    M    M    M
monitoring:quarter_sheet_upload       GET  sign   M    M    M    M    M    M    M    M    M    M    M    M    M
monitoring:quarter_sheet_upload       POST sign   bNN  xNN  bNN  xNN  xNN  xNN  N    xxN  x    x    N    N    x
monitoring:quarter_sheet_confirm      GET  sign   M    M    M    M    M    M    M    M    M    M    M    M    M
monitoring:quarter_sheet_confirm      POST sign   bNN  xNN  bNN  xNN  xNN  xNN  N    xxN  x    x    N    N    x
monitoring:verify                     GET  sign   FNN  FNN  FNN  FNN  oNN  FNN  N    FFN  F    F    N    N    F
monitoring:verify_confirm             GET  sign   M    M    M    M    M    M    M    M    M    M    M    M    M
monitoring:verify_confirm             POST sign   xNN  xNN  xNN  xNN  rNN  xNN  N    xxN  x    x    N    N    x
monitoring:verify_return              GET  sign   M    M    M    M    M    M    M    M    M    M    M    M    M
monitoring:verify_return              POST sign   xNN  xNN  xNN  xNN  rNN  xNN  N    xxN  x    x    N    N    x
monitoring:evidence                   GET  evid   oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
monitoring:home                       GET  sign   shh  hhh  shh  hhh  hhh  hhh  hhh  hhh  hhh  hhh  hhh  hhh  hhh

monitoring_reports:national_home      GET  -      F    F    F    F    F    F    F    F    r    r    F    F    r
monitoring_reports:national           GET  -      F    F    F    F    F    F    F    F    o    o    F    F    o
monitoring_reports:national_xlsx      GET  -      F    F    F    F    F    F    F    F    o    o    F    F    o
monitoring_reports:province_home      GET  -      F    F    F    F    F    F    F    r    r    r    F    F    r
monitoring_reports:province           GET  prov   N    N    N    N    N    N    FFN  ooN  o    o    N    N    o
monitoring_reports:province_xlsx      GET  prov   N    N    N    N    N    N    FFN  ooN  o    o    N    N    o
monitoring_reports:measurement_xlsx   GET  sign   oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
monitoring_reports:measurement_pdf    GET  sign   oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
monitoring_reports:api_docs           GET  -      o    o    o    o    o    o    o    o    o    o    o    o    o
monitoring_reports:openapi            GET  -      o    o    o    o    o    o    o    o    o    o    o    o    o
monitoring_reports:api_unit_year      GET  unit   oNN  oNN  oNN  oNN  oNN  oNN  N    ooN  o    o    N    N    o
"""
# fmt: on


def parse(text: str = MATRIX) -> dict[tuple[str, str], tuple[str, dict[str, str]]]:
    """{(url name with its [variant], verb): (object, {role: cell})}, checked as it is read."""
    rows = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, verb, target, *cells = line.split()
        if len(cells) != len(ROLES):
            raise ValueError(f"line {number}: {len(cells)} cells for {len(ROLES)} roles")
        if (name, verb) in rows:
            raise ValueError(f"line {number}: {name} {verb} twice")
        if verb not in {"GET", "POST"}:
            raise ValueError(f"line {number}: verb {verb}")
        for cell in cells:
            if len(cell) not in {1, len(RELATIONS)} or set(cell) - set(STATUS):
                raise ValueError(f"line {number}: cell {cell!r}")
        rows[(name, verb)] = (target, dict(zip(ROLES, cells, strict=True)))
    return rows


def expand(cell: str) -> dict[str, str]:
    """{relation: letter} of one cell."""
    letters = cell * len(RELATIONS) if len(cell) == 1 else cell
    return dict(zip(RELATIONS, letters, strict=True))


def url_name(row_name: str) -> str:
    """`agreements:workflow_action[submit]` -> `agreements:workflow_action`."""
    return row_name.split("[")[0]
