FROM opensuse/leap:15.5
RUN zypper --non-interactive install curl && zypper -n in git && zypper clean --all
