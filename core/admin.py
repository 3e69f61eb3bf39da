"""What every app's admin shares."""

from django.contrib import messages
from django.db import models

from core.outbox.services import EmailNotResendable, email_resend
from core.parsing import MoneyField, StrictDecimalField, StrictIntegerField


class ReadOnly:
    """For an admin or inline of records only their services write (a log, an outbox):
    listed and shown, never added, changed or deleted by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def email_resend_said(model_admin, request, email) -> None:
    """Send one failed email again from an admin button (core.outbox's `email_resend`),
    and say on the next page what happened: being sent again, or why it cannot be."""
    try:
        resend = email_resend(email=email, user=request.user)
    except EmailNotResendable as error:
        model_admin.message_user(request, str(error), messages.ERROR)
    else:
        model_admin.message_user(
            request,
            f"The {email.kind.replace('-', ' ')} email to {resend.to} is being sent again.",
            messages.SUCCESS,
        )


# A tabular inline whose rows' inputs carry their hints on the page (Django's own names
# them in aria-describedby but shows them only as the column heading's tooltip).
TABULAR_DESCRIBED = "admin/edit_inline/tabular_described.html"

# Numbers typed into the admin are read as every other form here reads them
# (core.parsing): Django's own fields take "1_000" as 1000 and its DecimalField "1e3".
AMOUNT_INVALID = "Enter an amount in pounds using the digits 0 to 9, like 5000 or 5,000.50."
NUMBER_INVALID = "Enter a number using the digits 0 to 9, like 12 or 12.5."
WHOLE_NUMBER_INVALID = "Enter a whole number using the digits 0 to 9, like 12."
_UNSIGNED = (
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)


class StrictNumbers:
    """For an admin or inline: its decimal and whole-number fields read strictly
    (core.parsing), refusing "_", exponents and words beside the field. A decimal whose
    label is in pounds ("amount (£)") is money: "£", thousands commas and spaces allowed."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DecimalField) and not db_field.choices:
            money = "£" in str(db_field.verbose_name)
            kwargs.setdefault("form_class", MoneyField if money else StrictDecimalField)
            kwargs.setdefault(
                "error_messages",
                {
                    "invalid": AMOUNT_INVALID if money else NUMBER_INVALID,
                    # These fields are never negative (core.parsing reads no sign): the
                    # words of Django's MinValueValidator, which the model also runs.
                    "min_value": "Ensure this value is greater than or equal to %(limit_value)s.",
                },
            )
        elif (
            isinstance(db_field, models.IntegerField)
            and not isinstance(db_field, models.AutoField)
            and not db_field.choices
        ):
            kwargs.setdefault("form_class", StrictIntegerField)
            kwargs.setdefault("signed", not isinstance(db_field, _UNSIGNED))
            kwargs.setdefault("error_messages", {"invalid": WHOLE_NUMBER_INVALID})
        return super().formfield_for_dbfield(db_field, request, **kwargs)
