"""Field names, limits and patterns of a signature, importable without SQLModel or SQLAlchemy.

The letter page is painted before the database layer is loaded (start-up speed), and what it needs
of these lives here; ``db.schemas`` builds the wire schema from them.
"""

NAME_MAX = 100
CITY_MAX = 100
COMMENT_MAX = 1000
SHEET_MAX = 32
SHA256_PATTERN = r"^[0-9a-f]{64}$"
LOCALE_PATTERN = r"^[a-z]{2,3}(-[A-Z]{2})?$"
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"

EMAIL_MAX = 254  # RFC 5321's path limit (db/validation.py normalise_email)
PHONE_MAX = 40
POSTAL_CODE_MAX = 12  # db/validation.py's _POSTAL_CODE pattern
COUNTRY_MAX = 2  # an ISO 3166 code
# The longest value each field of the form takes: the screens' editors (desktop/form.py) and the phone
# page read it here, so what can be typed and what a save accepts cannot drift apart.
MAX_LENGTH = {"given_name": NAME_MAX, "family_name": NAME_MAX, "email": EMAIL_MAX, "phone": PHONE_MAX,
              "postal_code": POSTAL_CODE_MAX, "city": CITY_MAX, "country": COUNTRY_MAX, "comment": COMMENT_MAX}

HANDWRITING_MAX = 120_000  # SVG path data of a handwritten signature (a long one is about 20 kB)
SEALED_MAX = 240_000  # base64 of the sealed personal fields (handwriting included)
KEY_ID_PATTERN = r"^[0-9a-f]{16}$"

# The fields the sign form can ask for, in the order it shows them.
PERSONAL_FIELDS = ("given_name", "family_name", "email", "phone", "postal_code", "city", "country", "comment")
# The partners a signer opted in to (format 2 bundles, API version 2): "slug:sha256" per partner, the
# SHA-256 of the opt-in text shown, sorted by slug, separated by single spaces. At most PARTNERS_MAX.
PARTNERS_MAX = 40
PARTNER_OPTINS_MAX = PARTNERS_MAX * (63 + 1 + 64 + 1)
# Everything that identifies a signer, or tells something about them: the form's fields, the handwritten
# signature and the partners they chose (which groups a person wants to hear from says what they care
# about). In sealed mode these are encrypted at save time (db/sealing.py); retention blanks them.
SIGNER_FIELDS = (*PERSONAL_FIELDS, "signature_svg", "partner_optins")
