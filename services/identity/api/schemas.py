"""Request and response bodies of the identity API (what the pages show too is in
``queries.py``)."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=2000)


class TokenView(BaseModel):
    access_token: str
    token_type: str = "bearer"


class AccountLink(BaseModel):
    account_number: str
    relation: str
    rights: list[str]
    legal_name: str | None = None


class MeView(BaseModel):
    profile_id: str
    username: str
    email: str = ""
    name: str = ""
    language: str = "en"
    roles: list[str]
    accounts: list[AccountLink]
    active_account: str | None = None
    totp_enabled: bool = False
    queues: list[str] = []


class WebUser(Body):
    """The Web User Information page."""

    username: str = Field(min_length=3, max_length=80, pattern=r"^[A-Za-z0-9._@-]+$")
    password: str = Field(max_length=200)
    confirm_password: str = Field(max_length=200)
    name: str = ""
    phone: str = ""
    other_phone: str = ""
    email: str = ""
    language: str = "en"


class Address(Body):
    street: str = ""
    city: str = ""
    province: str = ""
    postal_code: str = ""
    country: str = "CA"


class BusinessContact(Body):
    name: str = ""
    title: str = ""
    business_phone: str = ""
    business_email: str = ""
    fax: str = ""


class PaymentContact(Body):
    name: str = ""
    email: str = ""
    phone: str = ""
    street: str = ""
    city: str = ""
    province: str = ""
    postal_code: str = ""


class HolderInfo(Body):
    """Licensee / certificate holder / applicant information of the 'new' types."""

    legal_name: str = ""
    small_business: bool | None = None
    mailing_address: Address = Address()
    contact: BusinessContact = BusinessContact()
    delivery: str = "E-mail"
    status_email: str = ""
    invoices_elsewhere: bool | None = None
    payment_contact: PaymentContact | None = None


class LetterContact(Body):
    name: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""


class RegistrationIn(Body):
    kind: str
    user: WebUser
    account_number: str | None = Field(default=None, max_length=20)
    shared_secret: str | None = Field(default=None, max_length=100)
    holder: HolderInfo | None = None
    letter_contact: LetterContact | None = None
    attachments: list[str] = Field(default=[], max_length=20,
                                   description="claim tokens from POST .../attachments")


class RegistrationCreated(BaseModel):
    registration_id: str
    profile_id: str
    status: str
    account_number: str | None = None


class AttachmentCreated(BaseModel):
    attachment: str = Field(description="the claim token to name in the registration")
    filename: str
    size: int
    description: str


class TypeView(BaseModel):
    kind: str
    title: str
    office: str
    needs_approval: bool
    steps: list[str]
    attachments: str


class LicenseeView(BaseModel):
    account_number: str
    legal_name: str
    city: str
    province: str


class AnswerIn(Body):
    answer: str = Field(max_length=4000)
    attachments: list[str] = Field(default=[], max_length=20)
    holder: HolderInfo | None = None
    letter_contact: LetterContact | None = None


class DecisionIn(Body):
    reason: str = Field(default="", max_length=4000)
    question: str = Field(default="", max_length=4000)


class DecisionView(BaseModel):
    registration_id: str
    status: str


class AddAccountIn(Body):
    account_number: str = Field(max_length=20)
    shared_secret: str = Field(max_length=100)


class ChooseAccountIn(Body):
    account_number: str = Field(max_length=20)


class InvitationIn(Body):
    email: str = Field(max_length=254)
    rights: list[str]
    language: str = "en"


class InvitationCreated(BaseModel):
    invitation_id: str


class AcceptIn(Body):
    """Empty when signed in; else the new sub-user's web profile."""

    user: WebUser | None = None


class RightsIn(Body):
    rights: list[str]


class AccountUserView(BaseModel):
    profile_id: str
    username: str
    email: str
    relation: str
    rights: list[str]


class ResetRequestIn(Body):
    username_or_email: str = Field(max_length=254)


class ResetIn(Body):
    password: str = Field(max_length=200)
    confirm_password: str = Field(max_length=200)


class PasswordChangeIn(Body):
    current_password: str = Field(max_length=200)
    password: str = Field(max_length=200)
    confirm_password: str = Field(max_length=200)


class TotpSetupView(BaseModel):
    secret: str
    otpauth_uri: str


class CodeIn(Body):
    code: str = Field(max_length=10)


class SecurityEventView(BaseModel):
    id: str
    profile_id: str
    kind: str
    detail: str
    at: datetime


class StaffIn(Body):
    username: str = Field(min_length=3, max_length=80, pattern=r"^[A-Za-z0-9._@-]+$")
    password: str = Field(max_length=200)
    email: str = Field(max_length=254)
    name: str = ""
    language: str = "en"
    roles: list[str]


class RolesIn(Body):
    roles: list[str] = Field(max_length=10)  # none: no longer staff


class ProfileStatusView(BaseModel):
    profile_id: str
    disabled: bool


class ProfileCreated(BaseModel):
    profile_id: str
