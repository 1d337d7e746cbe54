FROM node:20
ADD --chown=node:node src/ /srv/src/
add . /srv
