with open("/etc/app/settings.ini", "w") as fh:
    fh.write("[app]\n")
