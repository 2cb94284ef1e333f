# Certificates (templates, issuing, verification) arrive with the certificates issue.
