// Reference implementations: layers operators (see reference_internal.h).
#include "reference_internal.h"

namespace tinymlc::testing {

void RegisterLayerOps(OpRegistry& r) { (void)r; }

}  // namespace tinymlc::testing
