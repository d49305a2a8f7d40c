from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.template import loader
from django.utils.translation import gettext_lazy as _

from organisations.bindings import request_binding
from organisations.limits import count_attempt
from organisations.models import Membership, NoticeKind, Official, Role
from organisations.nip import normalise_nip, validate_nip
from organisations.tasks import send_email


class LoginForm(AuthenticationForm):
    """Django's login form in the words of the rest of the site (its Indonesian message names
    the username twice)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Masukkan nama pengguna dan kata sandi yang benar. Perhatikan huruf besar dan kecil."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password"].label = _("Kata sandi")


class QueuedPasswordResetForm(PasswordResetForm):
    """Password reset whose e-mail goes out through Celery, not inside the request.

    Requests are limited per address typed and per client (organisations.limits, in the
    shared cache): past PASSWORD_RESET_LIMIT_PER_ADDRESS or _PER_CLIENT within
    PASSWORD_RESET_LIMIT_WINDOW seconds the form refuses, and no e-mail goes out."""

    def __init__(self, *args, client_address: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.client_address = client_address
        self.fields["email"].label = _("Alamat surel")

    def clean_email(self):
        email = self.cleaned_data["email"]
        window = settings.PASSWORD_RESET_LIMIT_WINDOW
        per_address = count_attempt("reset-address", email, window)
        per_client = count_attempt("reset-client", self.client_address or "?", window)
        if (
            per_address > settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
            or per_client > settings.PASSWORD_RESET_LIMIT_PER_CLIENT
        ):
            raise forms.ValidationError(
                _(
                    "Terlalu banyak permintaan atur ulang kata sandi. Periksa kotak masuk "
                    "surel Anda (juga folder spam), atau coba lagi %(minutes)d menit lagi."
                )
                % {"minutes": window // 60},
                code="too_many",
            )
        return email

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_email.delay(subject, body, [to_email])


class NIPField(forms.CharField):
    """Turns what people type ("19780228 200902 1 004", "NIP. 1978…") into a checked NIP."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_nip(value) if value else ""

    def validate(self, value):
        super().validate(value)
        if value:
            validate_nip(value)


class OfficialForm(forms.ModelForm):
    nip = NIPField(label=_("NIP"), required=False, max_length=40)

    class Meta:
        model = Official
        fields = ["name", "nip", "email"]


class UnitUserForm(forms.Form):
    """An administrator of a unit adds a user to one of the units of their office."""

    username = forms.CharField(label=_("Nama pengguna"), max_length=150)
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("Surel"))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    role = forms.ChoiceField(
        label=_("Peran"),
        choices=[
            (Role.OPERATOR, Role.OPERATOR.label),
            (Role.SIGNATORY, Role.SIGNATORY.label),
            (Role.ADMINISTRATOR, Role.ADMINISTRATOR.label),
        ],
    )
    official = forms.ModelChoiceField(
        label=_("Pejabat (untuk penandatangan)"), queryset=None, required=False
    )
    official_email = forms.EmailField(
        label=_("Surel pejabat (bila belum tercatat)"),
        required=False,
        help_text=_(
            "Penandatangan baru menunggu persetujuan administrator unit atasan. Tautan "
            "pendaftaran kunci tanda tangan dikirim ke surel pejabat yang tercatat."
        ),
    )
    password = forms.CharField(
        label=_("Kata sandi awal"), widget=forms.PasswordInput(render_value=True)
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["official"].queryset = Official.objects.filter(
            assignments__position__unit__in=units
        ).distinct()
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Nama pengguna ini sudah dipakai."))
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Role.SIGNATORY and not cleaned.get("official"):
            self.add_error("official", _("Pilih pejabat yang diwakili penandatangan ini."))
        password = cleaned.get("password")
        if password:
            user = get_user_model()(
                username=cleaned.get("username", ""), email=cleaned.get("email", "")
            )
            try:
                validate_password(password, user)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned

    def save(self, requested_by):
        """The new user. A signatory is not bound yet: the binding to the official is a
        request the superior office's administrator decides (organisations.bindings);
        raises RequestRefused (nothing saved, in the caller's transaction) when it cannot be
        asked."""
        data = self.cleaned_data
        first, _sep, last = data["full_name"].partition(" ")
        user = get_user_model().objects.create_user(
            username=data["username"],
            email=data["email"],
            password=data["password"],
            first_name=first,
            last_name=last,
        )
        if data["role"] == Role.SIGNATORY:
            request_binding(
                user=user,
                unit=data["unit"],
                official=data["official"],
                requested_by=requested_by,
                email=data.get("official_email", ""),
            )
        else:
            Membership.objects.create(user=user, unit=data["unit"], role=data["role"])
        return user


class ProfileForm(forms.Form):
    """The user's own e-mail address and which notices also come by e-mail (in the app, every
    notice always stays)."""

    email = forms.EmailField(
        label=_("Alamat surel"),
        required=False,
        help_text=_("Pemberitahuan dikirim ke alamat ini; kosongkan bila tidak ingin surel."),
        error_messages={"invalid": _("Masukkan alamat surel yang benar, misalnya nama@kpu.go.id.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        muted = set(user.email_muted or [])
        if not self.is_bound:
            self.initial["email"] = user.email
        for kind in NoticeKind:
            self.fields[f"surel_{kind.value}"] = forms.BooleanField(
                label=kind.label, required=False, initial=kind.value not in muted
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def save(self):
        self.user.email = self.cleaned_data["email"]
        self.user.email_muted = [k.value for k in NoticeKind
                                 if not self.cleaned_data[f"surel_{k.value}"]]  # fmt: skip
        self.user.save(update_fields=["email", "email_muted"])
        return self.user


class OfficialEmailForm(forms.Form):
    """A unit administrator asks that an official's e-mail of record change."""

    official = forms.ModelChoiceField(label=_("Pejabat"), queryset=None)
    email = forms.EmailField(label=_("Surel baru"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = Official.objects.filter(
            assignments__position__unit__in=units
        ).distinct()
        self.units = units
        self.helper = FormHelper()
        self.helper.form_tag = False

    def unit_of(self, official):
        """The administered unit where the official holds (or held) a position."""
        return self.units.filter(positions__assignments__official=official).first()
