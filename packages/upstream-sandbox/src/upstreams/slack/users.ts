/*
 * A catalog person as Slack's users.info `user` (the non-enterprise user object).
 */
import { Person } from '../../scenario/model';
import { SLACK_TEAM_ID, slackUserId } from '../../scenario/slack';

export function renderUser(person: Person): Record<string, unknown> {
  const [first, ...last] = person.displayName.split(' ');
  return {
    id: slackUserId(person.name),
    team_id: SLACK_TEAM_ID,
    name: person.name,
    deleted: false,
    color: '9f69e7',
    real_name: person.displayName,
    tz: 'Europe/Amsterdam',
    tz_label: 'Central European Time',
    tz_offset: 3600,
    profile: {
      avatar_hash: 'g0000000000',
      real_name: person.displayName,
      display_name: person.name.split('.')[0],
      real_name_normalized: person.displayName,
      display_name_normalized: person.name.split('.')[0],
      email: person.email,
      first_name: first,
      last_name: last.join(' '),
      title: '',
      phone: '',
      skype: '',
      status_text: '',
      status_emoji: '',
      fields: {},
      team: SLACK_TEAM_ID,
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: false,
    is_app_user: false,
    updated: 1700000000,
    has_2fa: true,
  };
}
