import { ForbiddenMessage } from '../../_components/forbidden-message';

/** 403 for /clusters/new (admin only). */
export default function Forbidden() {
  return <ForbiddenMessage need="admin" to="create clusters" />;
}
