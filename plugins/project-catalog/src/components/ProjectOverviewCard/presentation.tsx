import { ProjectType } from '@dash-suite/plugin-project-catalog-common';
import BuildIcon from '@material-ui/icons/Build';
import CategoryIcon from '@material-ui/icons/Category';
import DnsIcon from '@material-ui/icons/Dns';
import LanguageIcon from '@material-ui/icons/Language';
import LibraryBooksIcon from '@material-ui/icons/LibraryBooks';

const TYPE_ICONS: Record<ProjectType, typeof DnsIcon> = {
  service: DnsIcon,
  tool: BuildIcon,
  library: LibraryBooksIcon,
  website: LanguageIcon,
};

/** The icon of a project type; a neutral one for types outside `PROJECT_TYPES`. */
export const TypeIcon = ({ type }: { type?: string }) => {
  const Icon = TYPE_ICONS[type as ProjectType] ?? CategoryIcon;
  return (
    <Icon fontSize="small" aria-hidden data-testid={`type-icon-${type}`} />
  );
};

/** Tags that name a programming language, and how the language is written. */
const LANGUAGE_TAGS: Record<string, string> = {
  go: 'Go',
  golang: 'Go',
  python: 'Python',
  java: 'Java',
  kotlin: 'Kotlin',
  scala: 'Scala',
  typescript: 'TypeScript',
  javascript: 'JavaScript',
  nodejs: 'Node.js',
  rust: 'Rust',
  ruby: 'Ruby',
  php: 'PHP',
  csharp: 'C#',
  dotnet: '.NET',
  swift: 'Swift',
  elixir: 'Elixir',
  cpp: 'C++',
};

/** The language of a project, when one of its tags names it. */
export function languageOf(tags: unknown): string | undefined {
  if (!Array.isArray(tags)) return undefined;
  const names = tags
    .map(t => LANGUAGE_TAGS[String(t).toLocaleLowerCase('en-US')])
    .filter(Boolean);
  return names.length ? [...new Set(names)].join(', ') : undefined;
}
