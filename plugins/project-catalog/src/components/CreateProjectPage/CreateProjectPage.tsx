import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import { projectCatalogProjectCreatePermission } from '@dash-suite/plugin-project-catalog-common';
import { CreateProjectForm } from './CreateProjectForm';

/** The create form, for those allowed to create projects; without the page frame. */
export const CreateProjectContent = () => {
  const { loading, allowed } = usePermission({
    permission: projectCatalogProjectCreatePermission,
  });
  if (loading) return <Progress />;
  if (!allowed) {
    return (
      <WarningPanel
        severity="info"
        title="You are not allowed to create projects"
        message="Ask the owners of your Backstage to grant project-catalog.project.create."
      />
    );
  }
  return (
    <InfoCard title="New project">
      <CreateProjectForm />
    </InfoCard>
  );
};

/** Creates a project (a catalog Component) without YAML, then opens its entity page. */
export const CreateProjectPage = () => (
  <Page themeId="tool">
    <Header
      title="Create a project"
      subtitle="A new catalog component, no YAML needed; export it as catalog-info.yaml any time"
    />
    <Content>
      <CreateProjectContent />
    </Content>
  </Page>
);
