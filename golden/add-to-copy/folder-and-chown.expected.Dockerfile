FROM node:20
COPY --chown=node:node src/ /srv/src/
copy . /srv
